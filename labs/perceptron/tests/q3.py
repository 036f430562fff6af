OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q3',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> gate_inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)\n'
                                               '>>> for targets in (np.array([0, 0, 0, 1]), np.array([0, 1, 1, 1])):\n'
                                               '...     w, b, errors = train(gate_inputs, targets)\n'
                                               '...     errors, w, b = (np.asarray(errors), np.asarray(w, dtype=float), float(b))\n'
                                               "...     assert errors.shape == (20,), f'expected 20 mistake counts, one per epoch, got shape {errors.shape}'\n"
                                               '...     assert w.shape == (2,)\n'
                                               "...     assert errors[-1] == 0, f'the last epoch still has {errors[-1]} mistakes'\n"
                                               '...     np.testing.assert_allclose((gate_inputs @ w + b > 0).astype(int), targets)\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
