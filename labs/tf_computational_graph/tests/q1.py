OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q1',
    'points': 1,
    'suites': [   {   'cases': [   {   'code': ">>> assert str(node1).startswith('Tensor('), 'printing a node shows the node, not its value'\n"
                                               '>>> np.testing.assert_allclose(np.asarray(session_values), [3.0, 4.0])\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
