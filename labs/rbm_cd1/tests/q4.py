OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q4',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> _rng = np.random.default_rng(0)\n'
                                               '>>> _patterns = np.array([[1, 1, 1, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 1, 1, 1]], dtype=float)\n'
                                               '>>> _data = np.abs(_patterns[np.arange(80) % 2] - (_rng.random((80, 8)) < 0.02))\n'
                                               '>>> _data_copy = _data.copy()\n'
                                               '>>> _W, _a, _b = train_rbm(_data, 4, epochs=20)\n'
                                               '>>> _W, _a, _b = (np.asarray(_W), np.asarray(_a), np.asarray(_b))\n'
                                               '>>> assert _W.shape == (8, 4) and _a.shape == (8,) and (_b.shape == (4,))\n'
                                               ">>> np.testing.assert_array_equal(np.asarray(_data), _data_copy, err_msg='images was modified')\n"
                                               '>>> _sigmoid = lambda x: 1 / (1 + np.exp(-x))\n'
                                               '>>> _error = lambda W, a, b: float(((_data - _sigmoid(_sigmoid(_data @ W + b) @ W.T + a)) ** 2).sum(1).mean())\n'
                                               '>>> _p = _data.mean(0).clip(0.001, 1 - 0.001)\n'
                                               '>>> _before = _error(np.random.default_rng(0).normal(0.0, 0.01, size=(8, 4)), np.log(_p / (1 - _p)), np.zeros(4))\n'
                                               '>>> _after = _error(_W, _a, _b)\n'
                                               ">>> assert _after < _before / 3, f'reconstruction error {_before:.3f} -> {_after:.3f}: it should fall to less than a third'\n"
                                               '>>> _W2, _, _ = train_rbm(_data, 4, epochs=20)\n'
                                               ">>> np.testing.assert_array_equal(np.asarray(_W2), _W, err_msg='the same seed must give the same parameters')\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
