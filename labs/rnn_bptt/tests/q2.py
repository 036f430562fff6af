OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q2',
    'points': 5,
    'suites': [   {   'cases': [   {   'code': ">>> _params = {'W_xh': np.array([[2.0]]), 'W_hh': np.array([[0.5]]), 'b_h': np.array([0.0])}\n"
                                               '>>> _xs, _h0 = (np.array([[[0.25]]]), np.array([[1.0]]))\n'
                                               '>>> _hs = np.tanh(np.array([[[0.25 * 2.0 + 1.0 * 0.5]]]))\n'
                                               '>>> _grads = rnn_backward(np.array([[[1.0]]]), _xs, _hs, _h0, _params)\n'
                                               ">>> assert sorted((str(_key) for _key in _grads)) == ['W_hh', 'W_xh', 'b_h', 'h0', 'xs'], 'the keys of the dict'\n"
                                               '>>> _delta = 1 - np.tanh(1.0) ** 2\n'
                                               ">>> np.testing.assert_allclose(np.asarray(_grads['b_h']), [_delta], rtol=1e-12, err_msg='db_h = delta')\n"
                                               ">>> np.testing.assert_allclose(np.asarray(_grads['W_xh']), [[0.25 * _delta]], rtol=1e-12, err_msg='dW_xh = x^T delta')\n"
                                               ">>> np.testing.assert_allclose(np.asarray(_grads['W_hh']), [[1.0 * _delta]], rtol=1e-12, err_msg='dW_hh = h0^T delta')\n"
                                               ">>> np.testing.assert_allclose(np.asarray(_grads['xs']), [[[2.0 * _delta]]], rtol=1e-12, err_msg='dx = delta W_xh^T')\n"
                                               ">>> np.testing.assert_allclose(np.asarray(_grads['h0']), [[0.5 * _delta]], rtol=1e-12, err_msg='dh0 = delta W_hh^T')\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': ">>> _params = {'W_xh': np.array([[2.0]]), 'W_hh': np.array([[0.5]]), 'b_h': np.array([0.0])}\n"
                                               '>>> _xs, _h0 = (np.array([[[0.25]], [[-1.0]]]), np.array([[1.0]]))\n'
                                               '>>> _h1 = np.tanh(0.25 * 2.0 + 1.0 * 0.5)\n'
                                               '>>> _h2 = np.tanh(-1.0 * 2.0 + _h1 * 0.5)\n'
                                               '>>> _hs = np.array([[[_h1]], [[_h2]]])\n'
                                               '>>> _grads = rnn_backward(np.array([[[0.0]], [[1.0]]]), _xs, _hs, _h0, _params)\n'
                                               '>>> _delta2 = 1 - _h2 ** 2\n'
                                               '>>> _delta1 = _delta2 * 0.5 * (1 - _h1 ** 2)\n'
                                               ">>> assert np.asarray(_grads['xs']).shape == (2, 1, 1) and np.asarray(_grads['h0']).shape == (1, 1)\n"
                                               ">>> np.testing.assert_allclose(np.asarray(_grads['W_hh']), [[1.0 * _delta1 + _h1 * _delta2]], rtol=1e-12, err_msg='dW_hh sums H_{t-1}^T delta_t over "
                                               "both steps')\n"
                                               ">>> np.testing.assert_allclose(np.asarray(_grads['h0']), [[0.5 * _delta1]], rtol=1e-12, err_msg='the gradient reaches h0 through both steps')\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
