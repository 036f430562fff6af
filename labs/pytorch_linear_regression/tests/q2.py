OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q2',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> _ = torch.manual_seed(0)\n'
                                               '>>> _model = nn.Linear(1, 1)\n'
                                               '>>> _before = float(_model.weight.item())\n'
                                               '>>> _x = np.linspace(0, 1, 8, dtype=np.float32).reshape(-1, 1)\n'
                                               '>>> import contextlib, io\n'
                                               '>>> with contextlib.redirect_stdout(io.StringIO()):\n'
                                               '...     _losses = train(_model, torch.from_numpy(_x), torch.from_numpy(2 * _x + 1), 10, 0.1)\n'
                                               ">>> assert str(_losses).startswith('['), 'return a list'\n"
                                               '>>> _values = np.asarray(_losses)\n'
                                               ">>> assert _values.shape == (10,), 'one loss per epoch'\n"
                                               ">>> assert _values.dtype.kind == 'f', 'losses must be floats (loss.item())'\n"
                                               ">>> assert _values[-1] < _values[0], 'the loss should go down'\n"
                                               '>>> assert float(_model.weight.item()) != _before, "train must update the model\'s parameters"\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
