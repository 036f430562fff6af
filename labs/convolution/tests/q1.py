OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q1',
    'points': 1,
    'suites': [   {   'cases': [   {   'code': '>>> _size = np.asarray(conv_output_size(28, 5, 0, 1))\n'
                                               ">>> assert _size.shape == () and _size.dtype.kind in 'iu', 'return an int'\n"
                                               '>>> assert int(_size) == 24, "LeNet\'s first layer: 28 - 5 + 1 = 24"\n'
                                               ">>> assert int(conv_output_size(28, 5, 2, 1)) == 28, 'padding 2 keeps 28 x 28'\n"
                                               ">>> assert int(conv_output_size(4, 2, 0, 2)) == 2, '2 x 2 pooling with stride 2 halves 4'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
