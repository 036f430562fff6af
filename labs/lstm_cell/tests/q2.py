OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q2',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': ">>> _zeros = {f'W_{_g}': np.zeros((2, 5)) for _g in 'fiCo'} | {f'b_{_g}': np.zeros(2) for _g in 'fiCo'}\n"
                                               '>>> _c_prev = np.array([[1.0, -2.0]])\n'
                                               '>>> _h, _c = lstm_step(np.ones((1, 3)), np.array([[0.3, 0.7]]), _c_prev, _zeros)\n'
                                               '>>> _h, _c = (np.asarray(_h), np.asarray(_c))\n'
                                               ">>> assert _h.shape == (1, 2) and _c.shape == (1, 2), 'h_t and c_t have shape (N, H)'\n"
                                               ">>> np.testing.assert_allclose(_c, [[0.5, -1.0]], err_msg='c_t = f_t * c_prev + i_t * candidate')\n"
                                               ">>> np.testing.assert_allclose(_h, 0.5 * np.tanh([[0.5, -1.0]]), err_msg='h_t = o_t * tanh(c_t)')\n"
                                               '>>> _keep = dict(_zeros, b_f=np.full(2, 50.0), b_i=np.full(2, -50.0))\n'
                                               '>>> np.testing.assert_allclose(np.asarray(lstm_step(np.ones((1, 3)), np.zeros((1, 2)), _c_prev, _keep)[1]), _c_prev)\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
