OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q4',
    'points': 1,
    'suites': [   {   'cases': [   {   'code': '>>> xor_errors_array = np.asarray(xor_errors)\n'
                                               ">>> assert xor_errors_array.shape == (50,), f'expected 50 mistake counts, got shape {xor_errors_array.shape}'\n"
                                               ">>> assert xor_errors_array.min() > 0, 'a perceptron cannot classify XOR without mistakes'\n"
                                               '>>> gate_inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)\n'
                                               '>>> outputs = (gate_inputs @ np.asarray(w_xor, dtype=float) + float(b_xor) > 0).astype(int)\n'
                                               ">>> assert (outputs == [0, 1, 1, 0]).mean() <= 0.75, 'no straight line gets all four XOR points right'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
