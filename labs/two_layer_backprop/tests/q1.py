OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q1',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> from book.gradcheck import numerical_gradient as _numerical_gradient, relative_error as _relative_error\n'
                                               '>>> _rng = np.random.default_rng(0)\n'
                                               '>>> _x, _W, _b = (_rng.normal(size=(3, 4)), _rng.normal(size=(4, 5)), _rng.normal(size=5))\n'
                                               '>>> _dout = _rng.normal(size=(3, 5))\n'
                                               '>>> _out, _cache = affine_forward(_x, _W, _b)\n'
                                               '>>> _out = np.asarray(_out)\n'
                                               ">>> assert _out.shape == (3, 5), f'out should have shape (N, M) = (3, 5), got {_out.shape}'\n"
                                               '>>> _dx, _dW, _db = affine_backward(_dout, _cache)\n'
                                               '>>> _dx, _dW, _db = (np.asarray(_dx), np.asarray(_dW), np.asarray(_db))\n'
                                               ">>> assert (_dx.shape, _dW.shape, _db.shape) == ((3, 4), (4, 5), (5,)), 'each gradient has the shape of its variable'\n"
                                               '>>> _f = lambda: float(np.sum(np.asarray(affine_forward(_x, _W, _b)[0]) * _dout))\n'
                                               ">>> for _name, _variable, _analytic in (('dx', _x, _dx), ('dW', _W, _dW), ('db', _b, _db)):\n"
                                               '...     _error = _relative_error(_analytic, _numerical_gradient(_f, _variable))\n'
                                               "...     assert _error < 1e-07, f'{_name}: relative error {_error:.1e} against the numerical gradient'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
