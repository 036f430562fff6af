OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q5',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> outputs = np.asarray(xor_network(np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)))\n'
                                               ">>> assert outputs.shape == (4,) and outputs.dtype.kind in 'iu'\n"
                                               '>>> np.testing.assert_allclose(outputs, [0, 1, 1, 0])\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
