OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q1',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': ">>> _params = {'W_xh': np.array([[0.5, 0.0], [0.0, 0.5]]), 'W_hh': np.array([[0.0, 1.0], [1.0, 0.0]]), 'b_h': np.array([0.1, -0.1])}\n"
                                               '>>> _h = np.asarray(rnn_step(np.array([[1.0, 2.0]]), np.array([[0.5, -0.5]]), _params))\n'
                                               ">>> assert _h.shape == (1, 2), 'h_t has shape (N, H)'\n"
                                               '>>> np.testing.assert_allclose(_h, np.tanh([[0.1, 1.4]]), rtol=1e-12)\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
