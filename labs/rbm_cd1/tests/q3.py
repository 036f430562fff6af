OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q3',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> _images = np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])\n'
                                               '>>> _W, _a, _b = initial_parameters(_images, 2, 0)\n'
                                               '>>> _W, _a, _b = (np.asarray(_W), np.asarray(_a), np.asarray(_b))\n'
                                               '>>> assert _W.shape == (3, 2) and _a.shape == (3,) and (_b.shape == (2,))\n'
                                               ">>> np.testing.assert_allclose(_a[0], np.log(0.25 / 0.75), rtol=1e-12, err_msg='a_i = log(p_i / (1 - p_i))')\n"
                                               ">>> np.testing.assert_allclose(_a[1:], [np.log(0.999 / 0.001), np.log(0.001 / 0.999)], rtol=1e-12, err_msg='clip p_i to [0.001, 0.999] first')\n"
                                               '>>> np.testing.assert_array_equal(_b, 0.0)\n'
                                               ">>> np.testing.assert_allclose(_W, np.random.default_rng(0).normal(0.0, 0.01, size=(3, 2)), rtol=1e-12, err_msg='W = "
                                               "np.random.default_rng(seed).normal(0.0, 0.01, size=(n_visible, n_hidden))')\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
