OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q4',
    'points': 1,
    'suites': [   {   'cases': [   {   'code': '>>> line_points = np.array([[-3.0], [-2.0], [-1.0], [1.0], [2.0], [3.0]])\n'
                                               '>>> line_targets = np.array([0, 0, 1, 0, 1, 1])\n'
                                               '>>> w, b, mistakes = train_pocket(line_points, line_targets, epochs=10)\n'
                                               '>>> w, b = (np.asarray(w, dtype=float), float(b))\n'
                                               ">>> assert w.shape == (1,), f'expected weights of shape (1,), got {w.shape}'\n"
                                               '>>> assert int(mistakes) == int(np.sum((line_points @ w + b > 0).astype(int) != line_targets)), "pocket_mistakes must count the pocket weights\' '
                                               'mistakes"\n'
                                               ">>> assert int(mistakes) == 1, f'the pocket should hold a threshold with one mistake, got {int(mistakes)}'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
