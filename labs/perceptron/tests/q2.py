OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q2',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> new_w, new_b = update(np.array([0.0, 0.0]), 0.0, np.array([1.0, 1.0]), 1, 1.0)\n'
                                               '>>> np.testing.assert_allclose(np.asarray(new_w), [1.0, 1.0])\n'
                                               '>>> np.testing.assert_allclose(float(new_b), 1.0)\n',
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> new_w, new_b = update(np.array([1.0, 1.0]), -1.5, np.array([1.0, 1.0]), 1, 1.0)\n'
                                               '>>> np.testing.assert_allclose(np.asarray(new_w), [1.0, 1.0])\n'
                                               '>>> np.testing.assert_allclose(float(new_b), -1.5)\n',
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> new_w, new_b = update(np.array([0.0, 0.0]), 0.0, np.array([1.0, 1.0]), 1, 1.0)\n'
                                               '>>> before = np.asarray(new_w)\n'
                                               '>>> later_w, later_b = update(new_w, new_b, np.array([1.0, 1.0]), 0, 1.0)\n'
                                               '>>> np.testing.assert_allclose(np.asarray(later_w), [0.0, 0.0])\n'
                                               ">>> np.testing.assert_allclose(np.asarray(new_w), before, err_msg='update changed the array w passed to it: return w + ..., do not modify w in "
                                               "place')\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
