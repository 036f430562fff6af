OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q2',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> _param, _mean_square = rmsprop_step(np.array([1.0, 1.0]), np.array([2.0, -4.0]), np.zeros(2), lr=0.1, rho=0.75, eps=0.0)\n'
                                               '>>> _param_1, _mean_square_1 = (np.asarray(_param), np.asarray(_mean_square))\n'
                                               '>>> assert _param_1.shape == (2,) and _mean_square_1.shape == (2,)\n'
                                               ">>> np.testing.assert_allclose(_mean_square_1, [1.0, 4.0], rtol=1e-12, err_msg='s = rho * s + (1 - rho) * g^2')\n"
                                               ">>> np.testing.assert_allclose(_param_1, [0.8, 1.2], rtol=1e-12, err_msg='theta - lr * g / (sqrt(s) + eps)')\n"
                                               '>>> _param_2, _mean_square_2 = rmsprop_step(_param, np.array([0.0, 4.0]), _mean_square, lr=0.1, rho=0.75, eps=1.0)\n'
                                               '>>> np.testing.assert_allclose(np.asarray(_mean_square_2), [0.75, 7.0], rtol=1e-12)\n'
                                               ">>> np.testing.assert_allclose(np.asarray(_param_2), [0.8, 1.2 - 0.4 / (np.sqrt(7.0) + 1.0)], rtol=1e-12, err_msg='eps is added to sqrt(s), outside "
                                               "the root')\n"
                                               ">>> np.testing.assert_array_equal(np.asarray(_param), _param_1, err_msg='param was modified in place: return a new array')\n"
                                               ">>> np.testing.assert_array_equal(np.asarray(_mean_square), _mean_square_1, err_msg='mean_square was modified in place: return a new array')\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
