OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q3',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> over_columns, over_rows = argmax_over_axes(np.array([[1, 6, 5], [2, 3, 4]]))\n'
                                               '>>> over_columns, over_rows = (np.asarray(over_columns), np.asarray(over_rows))\n'
                                               ">>> assert over_columns.shape == (3,) and over_rows.shape == (2,), 'one index per column (axis 0), one per row (axis 1)'\n"
                                               ">>> assert over_columns.dtype == np.int64 and over_rows.dtype == np.int64, f'tf.argmax gives int64 indices, got {over_columns.dtype}'\n"
                                               '>>> np.testing.assert_array_equal(over_columns, [1, 0, 0])\n'
                                               '>>> np.testing.assert_array_equal(over_rows, [1, 2])\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
