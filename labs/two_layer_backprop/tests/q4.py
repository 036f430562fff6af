OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q4',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> from book.gradcheck import numerical_gradient as _numerical_gradient, relative_error as _relative_error\n'
                                               '>>> _rng = np.random.default_rng(41)\n'
                                               ">>> _params = {'W1': _rng.normal(size=(4, 5)), 'b1': _rng.normal(size=5), 'W2': _rng.normal(size=(5, 3)), 'b2': _rng.normal(size=3)}\n"
                                               '>>> _X, _y = (_rng.normal(size=(3, 4)), np.array([0, 2, 1]))\n'
                                               '>>> _loss, _grads = two_layer_loss(_params, _X, _y, 0.1)\n'
                                               ">>> assert np.asarray(_loss).shape == (), 'loss is a number'\n"
                                               ">>> assert sorted((str(_key) for _key in _grads)) == ['W1', 'W2', 'b1', 'b2'], 'grads has the keys of params'\n"
                                               ">>> for _name in ('W1', 'b1', 'W2', 'b2'):\n"
                                               '...     _analytic = np.asarray(_grads[_name])\n'
                                               "...     assert _analytic.shape == _params[_name].shape, f'grads[{_name!r}] should have shape {_params[_name].shape}'\n"
                                               '...     _numeric = _numerical_gradient(lambda: float(two_layer_loss(_params, _X, _y, 0.1)[0]), _params[_name])\n'
                                               '...     _error = _relative_error(_analytic, _numeric)\n'
                                               "...     assert _error < 1e-07, f'{_name}: relative error {_error:.1e} against the numerical gradient'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
