OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q1',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> gate_inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)\n'
                                               '>>> outputs = np.asarray(predict(gate_inputs, np.array([1.0, 1.0]), -1.5))\n'
                                               ">>> assert outputs.shape == (4,), f'expected one output per row of X, shape (4,), got {outputs.shape}'\n"
                                               ">>> assert outputs.dtype.kind in 'iu', f'expected integers 0 and 1, got dtype {outputs.dtype}'\n"
                                               '>>> np.testing.assert_allclose(outputs, [0, 0, 0, 1])\n'
                                               ">>> np.testing.assert_allclose(np.asarray(predict(gate_inputs, np.array([1.0, 1.0]), -1.0)), [0, 0, 0, 1], err_msg='X w + b exactly 0 gives 0: use > "
                                               "0, not >= 0')\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
