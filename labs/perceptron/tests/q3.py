OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q3',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> gate_inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)\n'
                                               '>>> w, b, errors = train(gate_inputs, np.array([0, 0, 0, 1]))\n'
                                               '>>> errors, w, b = (np.asarray(errors), np.asarray(w, dtype=float), float(b))\n'
                                               ">>> assert w.shape == (2,), f'expected weights of shape (2,), got {w.shape}'\n"
                                               ">>> assert errors[-1] == 0 and (errors[:-1] > 0).all(), f'stop after the first epoch without mistakes; got errors {errors.tolist()}'\n"
                                               '>>> np.testing.assert_allclose((gate_inputs @ w + b > 0).astype(int), [0, 0, 0, 1])\n'
                                               '>>> w, b, errors = train(gate_inputs, np.array([0, 1, 1, 0]), max_epochs=7)\n'
                                               ">>> assert np.asarray(errors).shape == (7,) and np.asarray(errors).min() > 0, 'on XOR, run max_epochs epochs'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
