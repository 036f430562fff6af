OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q4',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> result = sums(np.array([[1, 1, 1], [2, 2, 2]]))\n'
                                               ">>> expected = {'all': 9, 'axis0': [3, 3, 3], 'axis0_keepdims': [[3, 3, 3]], 'axis1': [3, 6], 'axis1_keepdims': [[3], [6]]}\n"
                                               '>>> for key, value in expected.items():\n'
                                               '...     got = np.asarray(result[key])\n'
                                               "...     assert got.shape == np.shape(value), f'{key}: expected shape {np.shape(value)}, got {got.shape}'\n"
                                               '...     np.testing.assert_allclose(got, value)\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
