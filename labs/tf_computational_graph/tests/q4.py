OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q4',
    'points': 2,
    'suites': [   {   'cases': [{'code': '>>> np.testing.assert_allclose(np.asarray(linear_values), [0.0, 0.3, 0.6, 0.9], atol=1e-06)\n', 'hidden': False, 'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
