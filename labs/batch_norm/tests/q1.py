OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q1',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> _x = np.array([[1.0, 2.0], [3.0, 6.0]])\n'
                                               '>>> _gamma, _beta = (np.array([2.0, 0.5]), np.array([10.0, -1.0]))\n'
                                               '>>> _out, _mean, _var, _cache = batchnorm_forward(_x, _gamma, _beta, np.zeros(2), np.ones(2), True, momentum=0.1, eps=0.0)\n'
                                               '>>> _out, _mean, _var = (np.asarray(_out), np.asarray(_mean), np.asarray(_var))\n'
                                               ">>> assert (_out.shape, _mean.shape, _var.shape) == ((2, 2), (2,), (2,)), 'out is (N, D), the running statistics (D,)'\n"
                                               ">>> np.testing.assert_allclose(_out, [[8.0, -1.5], [12.0, -0.5]], err_msg='gamma * x_hat + beta, with the biased batch variance')\n"
                                               '>>> np.testing.assert_allclose(_mean, [0.2, 0.4])\n'
                                               ">>> np.testing.assert_allclose(_var, [1.1, 1.7], err_msg='running_var averages the unbiased batch variance')\n"
                                               '>>> _running_mean, _running_var = (np.zeros(2), np.ones(2))\n'
                                               '>>> _ = batchnorm_forward(_x, _gamma, _beta, _running_mean, _running_var, True, momentum=0.1, eps=0.0)\n'
                                               ">>> np.testing.assert_array_equal(_running_mean, np.zeros(2), err_msg='return new arrays: do not update running_mean in place')\n"
                                               ">>> np.testing.assert_array_equal(_running_var, np.ones(2), err_msg='return new arrays: do not update running_var in place')\n"
                                               '>>> _x = np.array([[3.0, 0.0], [1.0, -1.0], [-3.0, 1.0]])\n'
                                               '>>> _out, _mean, _var, _ = batchnorm_forward(_x, np.ones(2), np.zeros(2), np.array([1.0, -1.0]), np.array([3.8, 0.05]), False, momentum=0.1, eps=0.2)\n'
                                               ">>> np.testing.assert_allclose(np.asarray(_out), [[1.0, 2.0], [0.0, 0.0], [-2.0, 4.0]], err_msg='in evaluation mode, use the running statistics (and "
                                               "eps)')\n"
                                               ">>> np.testing.assert_allclose(np.asarray(_mean), [1.0, -1.0], err_msg='evaluation mode leaves the running statistics unchanged')\n"
                                               ">>> np.testing.assert_allclose(np.asarray(_var), [3.8, 0.05], err_msg='evaluation mode leaves the running statistics unchanged')\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
