OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q4',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> result = sums(np.array([[1, 1, 1], [2, 2, 2]]))\n'
                                               ">>> expected = {'all': 9, 'axis0': [3, 3, 3], 'axis0_keepdims': [[3, 3, 3]], 'axis1': [3, 6], 'axis1_keepdims': [[3], [6]]}\n"
                                               ">>> assert sorted((str(key) for key in result)) == sorted(expected), f'expected the keys {sorted(expected)}'\n"
                                               '>>> for key, value in expected.items():\n'
                                               '...     got = np.asarray(result[key])\n'
                                               "...     assert got.shape == np.shape(value), f'{key}: expected shape {np.shape(value)}, got {got.shape}'\n"
                                               "...     assert got.dtype == np.int64, f'{key}: the sum of int64 values is int64, got {got.dtype}'\n"
                                               '...     np.testing.assert_array_equal(got, value)\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
