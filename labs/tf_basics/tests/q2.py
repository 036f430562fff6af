OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q2',
    'points': 1,
    'suites': [   {   'cases': [   {   'code': ">>> assert str(matrix_shape) == '[2, 3]', f'expected the Python list [2, 3], got {matrix_shape}: call as_list()'\n"
                                               ">>> assert str(matrix.name) == 'a:0', f'the tensor is named after its operation: expected a:0, got {matrix.name}'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
