OK_FORMAT = True

test = {   'name': 'q5',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> _x = np.array([[1, 2, 3], [4, 9, 5], [6, 7, 8]], dtype=float).reshape(1, 1, 3, 3)\n'
                                               '>>> _dout = np.array([[1, 2], [3, 4]], dtype=float).reshape(1, 1, 2, 2)\n'
                                               '>>> _dx = np.asarray(max_pool_backward(_dout, _x, size=2, stride=1))\n'
                                               ">>> assert _dx.shape == (1, 1, 3, 3), f'dx has the shape of x, (1, 1, 3, 3), got {_dx.shape}'\n"
                                               ">>> np.testing.assert_allclose(_dx[0, 0], [[0, 0, 0], [0, 10, 0], [0, 0, 0]], err_msg='the centre is in four windows: add their gradients, do not "
                                               "overwrite')\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': '>>> _x = np.array([[1, 2, 3], [4, 9, 5], [6, 7, 8]], dtype=float).reshape(1, 1, 3, 3)\n'
                                               '>>> _dout = np.array([[1, 2], [3, 4]], dtype=float).reshape(1, 1, 2, 2)\n'
                                               '>>> _dx = np.asarray(avg_pool_backward(_dout, _x, size=2, stride=1))\n'
                                               ">>> assert _dx.shape == (1, 1, 3, 3), f'dx has the shape of x, (1, 1, 3, 3), got {_dx.shape}'\n"
                                               '>>> np.testing.assert_allclose(_dx[0, 0], np.array([[1, 1 + 2, 2], [1 + 3, 1 + 2 + 3 + 4, 2 + 4], [3, 3 + 4, 4]]) / 4)\n',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
