OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q1',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': ">>> assert str(W.name) == 'weight:0' and str(b.name) == 'bias:0', f'names: {W.name}, {b.name}'\n"
                                               '>>> data_x = np.array([3.3, 4.4, 5.5, 6.71, 6.93, 4.168, 9.779, 6.182, 7.59, 2.167, 7.042, 10.791, 5.313, 7.997, 5.654, 9.27, 3.1])\n'
                                               '>>> data_y = np.array([1.7, 2.76, 2.09, 3.19, 1.694, 1.573, 3.366, 2.596, 2.53, 1.221, 2.827, 3.465, 1.65, 2.904, 2.42, 2.94, 1.3])\n'
                                               '>>> w0, b0 = np.random.default_rng(0).standard_normal(2)\n'
                                               '>>> expected = np.sum((w0 * data_x + b0 - data_y) ** 2) / (2 * 17)\n'
                                               '>>> np.testing.assert_allclose(float(initial_cost), expected, rtol=1e-05)\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
