OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q6',
    'points': 1,
    'suites': [   {   'cases': [   {   'code': '>>> sample = np.asarray(normal_sample)\n'
                                               ">>> assert sample.shape == (1000,), f'expected 1000 draws, got shape {sample.shape}'\n"
                                               ">>> assert sample.dtype == np.float32, f'random_normal draws float32 numbers, got {sample.dtype}: evaluate the tensor normal'\n"
                                               '>>> assert abs(sample.mean()) < 0.02 and abs(sample.std() - 0.1) < 0.01\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
