OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q7',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> np.testing.assert_allclose(np.asarray(W_trained), -0.9999969, rtol=1e-06)\n'
                                               '>>> np.testing.assert_allclose(np.asarray(b_trained), 0.99999082, rtol=1e-06)\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
