OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q2',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> data_x = np.array([3.3, 4.4, 5.5, 6.71, 6.93, 4.168, 9.779, 6.182, 7.59, 2.167, 7.042, 10.791, 5.313, 7.997, 5.654, 9.27, 3.1], '
                                               'dtype=np.float32).astype(float)\n'
                                               '>>> data_y = np.array([1.7, 2.76, 2.09, 3.19, 1.694, 1.573, 3.366, 2.596, 2.53, 1.221, 2.827, 3.465, 1.65, 2.904, 2.42, 2.94, 1.3], '
                                               'dtype=np.float32).astype(float)\n'
                                               '>>> w_ref, b_ref = np.random.default_rng(0).standard_normal(2)\n'
                                               '>>> for epoch in range(100):\n'
                                               '...     for x_i, y_i in zip(data_x, data_y):\n'
                                               '...         error = (w_ref * x_i + b_ref - y_i) / 17\n'
                                               '...         w_ref, b_ref = (w_ref - 0.01 * error * x_i, b_ref - 0.01 * error)\n'
                                               '>>> np.testing.assert_allclose([float(W_fit), float(b_fit)], [w_ref, b_ref], rtol=0.0001)\n'
                                               '>>> np.testing.assert_allclose(float(training_cost), np.sum((w_ref * data_x + b_ref - data_y) ** 2) / 34, rtol=0.0001)\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
