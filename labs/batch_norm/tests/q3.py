OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q3',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> _x = np.array([[[[1.0, 3.0]], [[10.0, 30.0]]]])\n'
                                               '>>> _out, _mean, _var, _cache = spatial_batchnorm_forward(_x, np.array([1.0, 2.0]), np.array([0.0, 5.0]), np.zeros(2), np.ones(2), True, momentum=0.1, '
                                               'eps=0.0)\n'
                                               '>>> _out, _mean, _var = (np.asarray(_out), np.asarray(_mean), np.asarray(_var))\n'
                                               ">>> assert (_out.shape, _mean.shape, _var.shape) == ((1, 2, 1, 2), (2,), (2,)), 'out is (N, C, H, W); statistics are per channel, (C,)'\n"
                                               ">>> np.testing.assert_allclose(_out[0, :, 0], [[-1.0, 1.0], [3.0, 7.0]], err_msg='each channel is normalised over its N*H*W values')\n"
                                               '>>> np.testing.assert_allclose(_mean, [0.2, 2.0])\n'
                                               '>>> np.testing.assert_allclose(_var, [1.1, 20.9])\n'
                                               '>>> from book.gradcheck import numerical_gradient as _numerical_gradient, relative_error as _relative_error\n'
                                               '>>> _rng = np.random.default_rng(6)\n'
                                               '>>> _x, _gamma, _beta = (_rng.normal(1.0, 2.0, size=(2, 2, 2, 3)), _rng.normal(size=2), _rng.normal(size=2))\n'
                                               '>>> _dout = _rng.normal(size=(2, 2, 2, 3))\n'
                                               '>>> _out, _mean, _var, _cache = spatial_batchnorm_forward(_x, _gamma, _beta, np.zeros(2), np.ones(2), True)\n'
                                               '>>> _dx, _dgamma, _dbeta = spatial_batchnorm_backward(_dout, _cache)\n'
                                               '>>> _dx, _dgamma, _dbeta = (np.asarray(_dx), np.asarray(_dgamma), np.asarray(_dbeta))\n'
                                               ">>> assert (_dx.shape, _dgamma.shape, _dbeta.shape) == ((2, 2, 2, 3), (2,), (2,)), 'each gradient has the shape of its variable'\n"
                                               '>>> _f = lambda: float(np.sum(np.asarray(spatial_batchnorm_forward(_x, _gamma, _beta, np.zeros(2), np.ones(2), True)[0]) * _dout))\n'
                                               ">>> for _name, _variable, _analytic in (('dx', _x, _dx), ('dgamma', _gamma, _dgamma), ('dbeta', _beta, _dbeta)):\n"
                                               '...     _error = _relative_error(_analytic, _numerical_gradient(_f, _variable))\n'
                                               "...     assert _error < 1e-07, f'{_name}: relative error {_error:.1e} against the numerical gradient'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
