OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q1',
    'points': 1,
    'suites': [   {   'cases': [   {   'code': ">>> assert 'Tensor' in str(a), 'printing a graph node shows a Tensor, not its value'\n"
                                               '>>> for value in (value_run, value_with, value_eval):\n'
                                               '...     value = np.asarray(value)\n'
                                               "...     assert value.shape == (), 'a scalar constant evaluates to a scalar'\n"
                                               "...     assert value.dtype == np.int32, f'running the int32 constant gives a NumPy int32, got {value.dtype}: get the values from TensorFlow'\n"
                                               '...     np.testing.assert_allclose(value, 100)\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
