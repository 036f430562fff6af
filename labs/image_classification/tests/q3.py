OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q3',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> _predictions = np.asarray(test_predictions)\n'
                                               ">>> assert _predictions.shape == (10000,) and _predictions.dtype.kind in 'iu', 'one integer class per test image'\n"
                                               '>>> _accuracy = np.asarray(test_accuracy)\n'
                                               ">>> assert _accuracy.shape == () and _accuracy.dtype.kind == 'f', 'test_accuracy is one float'\n"
                                               ">>> assert 0.9 <= float(test_accuracy) <= 1, f'the test accuracy {float(test_accuracy):.3f} is below 0.90'\n"
                                               '>>> _matrix = np.asarray(matrix)\n'
                                               ">>> assert _matrix.shape == (10, 10) and _matrix.dtype.kind in 'iu'\n"
                                               ">>> assert int(_matrix.sum()) == 10000, 'the confusion matrix counts every test image once'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
