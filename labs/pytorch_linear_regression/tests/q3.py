OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q3',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': ">>> assert inputs.shape == (17, 1) and targets.shape == (17, 1), 'reshape to a column: (17, 1)'\n"
                                               ">>> assert str(inputs.dtype) == 'torch.float32' and str(targets.dtype) == 'torch.float32'\n"
                                               ">>> assert str(model) == 'Linear(in_features=1, out_features=1, bias=True)'\n"
                                               '>>> _values = np.asarray(losses)\n'
                                               ">>> assert _values.shape == (60,) and _values.dtype.kind == 'f', '60 epochs, one float loss each'\n"
                                               '>>> assert _values[-1] < _values[0]\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
