OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q5',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> _batches = [(np.zeros((2, 3, 3)), np.array([0, 1])), (np.zeros((1, 3, 3)), np.array([1]))]\n'
                                               '>>> _shapes, _counts = describe_epoch(_batches, num_classes=3)\n'
                                               ">>> assert str(_shapes).startswith('['), 'shapes is a list'\n"
                                               '>>> assert [tuple(np.asarray(_shape).tolist()) for _shape in _shapes] == [(2, 3, 3), (1, 3, 3)]\n'
                                               '>>> _counts = np.asarray(_counts)\n'
                                               ">>> assert _counts.shape == (3,) and _counts.dtype.kind in 'iu', 'label_counts: an integer array of length num_classes'\n"
                                               '>>> np.testing.assert_allclose(_counts, [1, 2, 0])\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
