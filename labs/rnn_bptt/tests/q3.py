OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q3',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': ">>> _clipped, _norm = clip_by_global_norm({'a': np.array([3.0, 0.0]), 'b': np.array([[0.0], [4.0]])}, 1.0)\n"
                                               ">>> assert abs(float(_norm) - 5.0) < 1e-09, 'the norm before clipping'\n"
                                               ">>> assert sorted((str(_key) for _key in _clipped)) == ['a', 'b']\n"
                                               ">>> np.testing.assert_allclose(np.asarray(_clipped['a']), [0.6, 0.0], rtol=1e-05)\n"
                                               ">>> np.testing.assert_allclose(np.asarray(_clipped['b']), [[0.0], [0.8]], rtol=1e-05)\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
