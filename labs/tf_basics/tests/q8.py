OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q8',
    'points': 1,
    'suites': [   {   'cases': [   {   'code': '>>> for result in (sum_2_3, product_3_4):\n'
                                               "...     assert np.asarray(result).dtype == np.int16, f'running int16 nodes gives NumPy int16, got {np.asarray(result).dtype}: run add and mul in "
                                               "sess'\n"
                                               '>>> np.testing.assert_array_equal(np.asarray(sum_2_3), 5)\n'
                                               '>>> np.testing.assert_array_equal(np.asarray(product_3_4), 12)\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
