OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q2',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> from book.gradcheck import numerical_gradient as _numerical_gradient, relative_error as _relative_error\n'
                                               '>>> _rng = np.random.default_rng(4)\n'
                                               '>>> _x, _gamma, _beta = (_rng.normal(1.0, 2.0, size=(4, 3)), _rng.normal(size=3), _rng.normal(size=3))\n'
                                               '>>> _dout = _rng.normal(size=(4, 3))\n'
                                               '>>> _out, _mean, _var, _cache = batchnorm_forward(_x, _gamma, _beta, np.zeros(3), np.ones(3), True)\n'
                                               '>>> _dx, _dgamma, _dbeta = batchnorm_backward(_dout, _cache)\n'
                                               '>>> _dx, _dgamma, _dbeta = (np.asarray(_dx), np.asarray(_dgamma), np.asarray(_dbeta))\n'
                                               ">>> assert (_dx.shape, _dgamma.shape, _dbeta.shape) == ((4, 3), (3,), (3,)), 'each gradient has the shape of its variable'\n"
                                               '>>> _f = lambda: float(np.sum(np.asarray(batchnorm_forward(_x, _gamma, _beta, np.zeros(3), np.ones(3), True)[0]) * _dout))\n'
                                               ">>> for _name, _variable, _analytic in (('dx', _x, _dx), ('dgamma', _gamma, _dgamma), ('dbeta', _beta, _dbeta)):\n"
                                               '...     _error = _relative_error(_analytic, _numerical_gradient(_f, _variable))\n'
                                               "...     assert _error < 1e-07, f'{_name}: relative error {_error:.1e} against the numerical gradient'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
