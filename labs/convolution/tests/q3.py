OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q3',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> from book.gradcheck import numerical_gradient as _numerical_gradient, relative_error as _relative_error\n'
                                               '>>> _rng = np.random.default_rng(5)\n'
                                               '>>> _x, _w, _b = (_rng.normal(size=(1, 2, 4, 4)), _rng.normal(size=(2, 2, 3, 3)), _rng.normal(size=2))\n'
                                               '>>> _dout = _rng.normal(size=(1, 2, 4, 4))\n'
                                               '>>> _out, _cache = conv2d_forward(_x, _w, _b, stride=1, padding=1)\n'
                                               '>>> _dx, _dw, _db = conv2d_backward(_dout, _cache)\n'
                                               '>>> _dx, _dw, _db = (np.asarray(_dx), np.asarray(_dw), np.asarray(_db))\n'
                                               ">>> assert (_dx.shape, _dw.shape, _db.shape) == ((1, 2, 4, 4), (2, 2, 3, 3), (2,)), 'each gradient has the shape of its variable'\n"
                                               '>>> _f = lambda: float(np.sum(np.asarray(conv2d_forward(_x, _w, _b, stride=1, padding=1)[0]) * _dout))\n'
                                               ">>> for _name, _variable, _analytic in (('dx', _x, _dx), ('dw', _w, _dw), ('db', _b, _db)):\n"
                                               '...     _error = _relative_error(_analytic, _numerical_gradient(_f, _variable))\n'
                                               "...     assert _error < 1e-07, f'{_name}: relative error {_error:.1e} against the numerical gradient'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
