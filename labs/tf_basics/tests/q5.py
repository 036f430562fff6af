OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q5',
    'points': 1,
    'suites': [   {   'cases': [   {   'code': '>>> equal, not_equal = compare_with_one(np.array([[1, 0, 0], [0, 1, 1]]))\n'
                                               '>>> equal, not_equal = (np.asarray(equal), np.asarray(not_equal))\n'
                                               ">>> assert equal.dtype == bool and not_equal.dtype == bool, 'tf.equal gives booleans'\n"
                                               '>>> np.testing.assert_array_equal(equal, [[True, False, False], [False, True, True]])\n'
                                               '>>> np.testing.assert_array_equal(not_equal, ~equal)\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
