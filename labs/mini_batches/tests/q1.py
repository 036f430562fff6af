OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q1',
    'points': 1,
    'suites': [   {   'cases': [   {   'code': '>>> _count = np.asarray(number_of_batches(1000, 64))\n'
                                               ">>> assert _count.shape == () and _count.dtype.kind in 'iu', 'return an int'\n"
                                               ">>> assert int(_count) == 16, f'1000 examples in batches of 64 make 16 batches, not {int(_count)}'\n"
                                               ">>> assert int(number_of_batches(1000, 100)) == 10, 'no empty batch when the size divides the data set'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
