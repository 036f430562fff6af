OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q1',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> _model = build_model()\n'
                                               ">>> assert str(_model) == 'Linear(in_features=1, out_features=1, bias=True)', 'return nn.Linear(1, 1)'\n"
                                               '>>> assert _model.weight.shape == (1, 1) and _model.bias.shape == (1,)\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
