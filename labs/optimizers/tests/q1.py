OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q1',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> _param, _velocity = momentum_step(np.array([1.0, -2.0]), np.array([4.0, 2.0]), np.zeros(2), lr=0.1, momentum=0.5)\n'
                                               '>>> _param_1, _velocity_1 = (np.asarray(_param), np.asarray(_velocity))\n'
                                               ">>> assert _param_1.shape == (2,) and _velocity_1.shape == (2,), 'new_param and new_velocity have the shape of param'\n"
                                               ">>> np.testing.assert_allclose(_velocity_1, [4.0, 2.0], rtol=1e-12, err_msg='the first velocity is the gradient itself')\n"
                                               ">>> np.testing.assert_allclose(_param_1, [0.6, -2.2], rtol=1e-12, err_msg='new_param = param - lr * new_velocity')\n"
                                               '>>> _param_2, _velocity_2 = momentum_step(_param, np.array([4.0, 2.0]), _velocity, lr=0.1, momentum=0.5)\n'
                                               ">>> np.testing.assert_allclose(np.asarray(_velocity_2), [6.0, 3.0], rtol=1e-12, err_msg='v = momentum * v + g')\n"
                                               '>>> np.testing.assert_allclose(np.asarray(_param_2), [0.0, -2.5], rtol=1e-12, atol=1e-12)\n'
                                               ">>> np.testing.assert_array_equal(np.asarray(_param), _param_1, err_msg='param was modified in place: return a new array')\n"
                                               ">>> np.testing.assert_array_equal(np.asarray(_velocity), _velocity_1, err_msg='velocity was modified in place: return a new array')\n"
                                               '>>> _param, _velocity = momentum_step(np.ones((2, 3)), np.full((2, 3), 2.0), np.ones((2, 3)), lr=0.5, momentum=0.9)\n'
                                               '>>> np.testing.assert_allclose(np.asarray(_velocity), np.full((2, 3), 2.9), rtol=1e-12)\n'
                                               '>>> np.testing.assert_allclose(np.asarray(_param), np.full((2, 3), -0.45), rtol=1e-12)\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
