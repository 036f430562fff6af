OK_FORMAT = True

test = {   'name': 'q4',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> _slides = np.array([[1, 3, 2, 4], [1, 3, 2, 4], [5, 7, 6, 8], [5, 7, 6, 8]], dtype=float).reshape(1, 1, 4, 4)\n'
                                               '>>> _max = np.asarray(max_pool_forward(_slides))\n'
                                               ">>> assert _max.shape == (1, 1, 2, 2), '2 x 2 windows with stride 2 halve 4 x 4'\n"
                                               '>>> np.testing.assert_allclose(_max[0, 0], [[3, 4], [7, 8]])\n'
                                               '>>> _x = np.array([[1, 2, 3], [4, 9, 5], [6, 7, 8]], dtype=float).reshape(1, 1, 3, 3)\n'
                                               '>>> _max = np.asarray(max_pool_forward(_x, size=2, stride=1))\n'
                                               ">>> assert _max.shape == (1, 1, 2, 2), '(3 - 2) // 1 + 1 = 2 windows along each axis'\n"
                                               '>>> np.testing.assert_allclose(_max[0, 0], [[9, 9], [9, 9]])\n',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': '>>> _slides = np.array([[1, 3, 2, 4], [1, 3, 2, 4], [5, 7, 6, 8], [5, 7, 6, 8]], dtype=float).reshape(1, 1, 4, 4)\n'
                                               '>>> _avg = np.asarray(avg_pool_forward(_slides))\n'
                                               ">>> assert _avg.shape == (1, 1, 2, 2), '2 x 2 windows with stride 2 halve 4 x 4'\n"
                                               '>>> np.testing.assert_allclose(_avg[0, 0], [[2, 3], [6, 7]])\n'
                                               '>>> _x = np.array([[1, 2, 3], [4, 9, 5], [6, 7, 8]], dtype=float).reshape(1, 1, 3, 3)\n'
                                               '>>> _avg = np.asarray(avg_pool_forward(_x, size=2, stride=1))\n'
                                               ">>> assert _avg.shape == (1, 1, 2, 2), '(3 - 2) // 1 + 1 = 2 windows along each axis'\n"
                                               '>>> np.testing.assert_allclose(_avg[0, 0], [[(1 + 2 + 4 + 9) / 4, (2 + 3 + 9 + 5) / 4], [(4 + 9 + 6 + 7) / 4, (9 + 5 + 7 + 8) / 4]])\n',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
