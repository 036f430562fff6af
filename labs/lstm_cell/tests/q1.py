OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q1',
    'points': 1,
    'suites': [   {   'cases': [   {   'code': '>>> _values = np.asarray(sigmoid(np.array([-1000.0, -1.0, 0.0, 2.0, 1000.0])))\n'
                                               ">>> assert _values.shape == (5,), 'sigmoid works element-wise'\n"
                                               ">>> assert np.all(np.isfinite(_values)), 'no nan or inf, even at +-1000'\n"
                                               '>>> np.testing.assert_allclose(_values, [0.0, 1 / (1 + np.e), 0.5, 1 / (1 + np.exp(-2.0)), 1.0], rtol=1e-12, atol=1e-15)\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
