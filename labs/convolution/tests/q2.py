OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q2',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> _x = np.arange(9.0).reshape(1, 1, 3, 3)\n'
                                               '>>> _w = np.array([[[[0.0, 1.0], [2.0, 3.0]]]])\n'
                                               '>>> _out, _cache = conv2d_forward(_x, _w, np.zeros(1))\n'
                                               '>>> _out = np.asarray(_out)\n'
                                               ">>> assert _out.shape == (1, 1, 2, 2), f'expected shape (1, 1, 2, 2), got {_out.shape}'\n"
                                               '>>> np.testing.assert_allclose(_out[0, 0], [[19.0, 25.0], [37.0, 43.0]])\n'
                                               '>>> _out = np.asarray(conv2d_forward(np.ones((2, 2, 5, 5)), np.ones((3, 2, 3, 3)), np.arange(3.0), stride=2, padding=1)[0])\n'
                                               ">>> assert _out.shape == (2, 3, 3, 3), f'expected shape (2, 3, 3, 3), got {_out.shape}'\n"
                                               '>>> np.testing.assert_allclose(_out[0, :, 1, 1], [18.0, 19.0, 20.0])\n'
                                               '>>> np.testing.assert_allclose(_out[0, :, 0, 0], [8.0, 9.0, 10.0])\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
