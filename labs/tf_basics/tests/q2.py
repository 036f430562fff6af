OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q2',
    'points': 1,
    'suites': [   {   'cases': [   {   'code': '>>> np.testing.assert_allclose(np.asarray(matrix_shape), [2, 3])\n'
                                               ">>> assert str(matrix.name) == 'a:0', f'the tensor is named after its operation: expected a:0, got {matrix.name}'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
