OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q3',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> from book.gradcheck import numerical_gradient as _numerical_gradient, relative_error as _relative_error\n'
                                               '>>> _loss, _dscores = softmax_cross_entropy(np.zeros((4, 10)), np.array([0, 3, 9, 3]))\n'
                                               '>>> np.testing.assert_allclose(float(_loss), np.log(10), rtol=1e-12)\n'
                                               '>>> _dscores = np.asarray(_dscores)\n'
                                               ">>> assert _dscores.shape == (4, 10), 'dscores has the shape of scores'\n"
                                               '>>> _rng = np.random.default_rng(1)\n'
                                               '>>> _scores, _y = (_rng.normal(size=(5, 3)), np.array([0, 2, 1, 2, 0]))\n'
                                               '>>> _analytic = np.asarray(softmax_cross_entropy(_scores, _y)[1])\n'
                                               '>>> _error = _relative_error(_analytic, _numerical_gradient(lambda: float(softmax_cross_entropy(_scores, _y)[0]), _scores))\n'
                                               ">>> assert _error < 1e-07, f'relative error {_error:.1e} against the numerical gradient'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
