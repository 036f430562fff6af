OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q4',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> _rng = np.random.default_rng(0)\n'
                                               '>>> _params = {}\n'
                                               ">>> for _gate in 'fiCo':\n"
                                               "...     _params[f'W_{_gate}'] = 0.5 * _rng.normal(size=(4, 7))\n"
                                               "...     _params[f'b_{_gate}'] = 0.5 * _rng.normal(size=4)\n"
                                               '>>> _xs = _rng.normal(size=(5, 2, 3))\n'
                                               '>>> _h0, _c0 = (np.zeros((2, 4)), np.zeros((2, 4)))\n'
                                               '>>> _hs, _final = lstm_sequence(_xs, _h0, _c0, _params)\n'
                                               '>>> _hs = np.asarray(_hs)\n'
                                               '>>> _h_T, _c_T = (np.asarray(_final[0]), np.asarray(_final[1]))\n'
                                               ">>> assert _hs.shape == (5, 2, 4), f'hs should have shape (T, N, H) = (5, 2, 4), got {_hs.shape}'\n"
                                               '>>> assert _h_T.shape == (2, 4) and _c_T.shape == (2, 4)\n'
                                               ">>> np.testing.assert_allclose(_hs[-1], _h_T, err_msg='the last hidden state is h_T')\n"
                                               '>>> _h1, _c1 = lstm_step(_xs[0], _h0, _c0, _params)\n'
                                               ">>> np.testing.assert_allclose(_hs[0], np.asarray(_h1), err_msg='the first step is one lstm_step')\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
