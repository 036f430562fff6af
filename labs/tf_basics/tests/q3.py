OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q3',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> over_columns, over_rows = argmax_over_axes(np.array([[1, 6, 5], [2, 3, 4]]))\n'
                                               '>>> np.testing.assert_allclose(np.asarray(over_columns), [1, 0, 0])\n'
                                               '>>> np.testing.assert_allclose(np.asarray(over_rows), [1, 2])\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
