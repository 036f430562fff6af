OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q8',
    'points': 1,
    'suites': [   {   'cases': [{'code': '>>> np.testing.assert_allclose(np.asarray(sum_2_3), 5)\n>>> np.testing.assert_allclose(np.asarray(product_3_4), 12)\n', 'hidden': False, 'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
