OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q3',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> _weight_ih = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])\n'
                                               '>>> _weight_hh = np.array([[10.0], [30.0], [50.0], [70.0]])\n'
                                               '>>> _bias_ih, _bias_hh = (np.array([0.1, 0.2, 0.3, 0.4]), np.array([1.0, 2.0, 3.0, 4.0]))\n'
                                               '>>> _params = params_from_torch(_weight_ih, _weight_hh, _bias_ih, _bias_hh)\n'
                                               ">>> assert sorted((str(_key) for _key in _params)) == ['W_C', 'W_f', 'W_i', 'W_o', 'b_C', 'b_f', 'b_i', 'b_o']\n"
                                               ">>> assert np.asarray(_params['W_f']).shape == (1, 3), 'each W is (H, H + D)'\n"
                                               ">>> np.testing.assert_allclose(np.asarray(_params['W_i']), [[10.0, 1.0, 2.0]], err_msg='h columns first, then x')\n"
                                               '>>> np.testing.assert_allclose(np.asarray(_params[\'W_f\']), [[30.0, 3.0, 4.0]], err_msg="the forget gate is PyTorch\'s second block")\n'
                                               ">>> np.testing.assert_allclose(np.asarray(_params['W_C']), [[50.0, 5.0, 6.0]])\n"
                                               ">>> np.testing.assert_allclose(np.asarray(_params['W_o']), [[70.0, 7.0, 8.0]])\n"
                                               ">>> np.testing.assert_allclose(np.asarray(_params['b_f']), [2.2], err_msg='add the two biases')\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
