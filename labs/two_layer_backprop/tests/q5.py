OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q5',
    'points': 1,
    'suites': [   {   'cases': [   {   'code': ">>> _params = {'W1': np.eye(2), 'b1': np.zeros(2), 'W2': np.array([[1.0, 0.0], [0.0, 1.0]]), 'b2': np.zeros(2)}\n"
                                               '>>> _classes = np.asarray(predict(_params, np.array([[3.0, 1.0], [0.0, 2.0], [-1.0, 0.5]])))\n'
                                               ">>> assert _classes.shape == (3,) and _classes.dtype.kind in 'iu', 'an integer array, one class per row'\n"
                                               '>>> np.testing.assert_allclose(_classes, [0, 1, 1])\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
