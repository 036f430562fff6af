OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q2',
    'points': 1,
    'suites': [   {   'cases': [   {   'code': '>>> _x = np.array([[-2.0, -0.5, 0.5, 3.0]])\n'
                                               '>>> _out, _cache = relu_forward(_x)\n'
                                               '>>> _out = np.asarray(_out)\n'
                                               '>>> assert _out.shape == (1, 4)\n'
                                               '>>> np.testing.assert_allclose(_out, [[0.0, 0.0, 0.5, 3.0]])\n'
                                               '>>> _dx = np.asarray(relu_backward(np.array([[1.0, 2.0, 3.0, 4.0]]), _cache))\n'
                                               '>>> assert _dx.shape == (1, 4)\n'
                                               '>>> np.testing.assert_allclose(_dx, [[0.0, 0.0, 3.0, 4.0]])\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
