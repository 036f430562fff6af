OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q6',
    'points': 1,
    'suites': [   {   'cases': [{'code': '>>> np.testing.assert_allclose(np.asarray(fixed_loss), 0.0, atol=1e-12)\n', 'hidden': False, 'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
