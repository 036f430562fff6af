OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q5',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': ">>> _small = tf.keras.Sequential([tf.keras.Input(shape=(28, 28)), tf.keras.layers.Flatten(), tf.keras.layers.Dense(10, activation='softmax')])\n"
                                               ">>> _answer = predict_payload(_small, {'images': np.zeros((2, 28, 28)).tolist()})\n"
                                               ">>> assert sorted((str(_key) for _key in _answer.keys())) == ['classes', 'names', 'probabilities'], 'return a dict with these three keys'\n"
                                               ">>> _classes = np.asarray(_answer['classes'])\n"
                                               '>>> assert _classes.shape == (2,) and _classes.dtype.kind in \'iu\', \'"classes": one integer per image\'\n'
                                               ">>> assert [str(_name) for _name in _answer['names']] == [['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', "
                                               "'Ankle boot'][_c] for _c in _classes]\n"
                                               ">>> assert np.asarray(_answer['probabilities']).shape == (2, 10)\n"
                                               '>>> try:\n'
                                               "...     _ = predict_payload(_small, {'pictures': []})\n"
                                               "...     _error = ''\n"
                                               '... except Exception as _exception:\n'
                                               "...     _error = (type(_exception).__name__ + ': ' + str(_exception)).replace('GradingError: in the notebook: ', '', 1)\n"
                                               '>>> assert _error.startswith(\'ValueError: \'), \'a payload without "images" must raise ValueError\'\n'
                                               '>>> try:\n'
                                               "...     _ = predict_payload(_small, {'images': [[[255] * 28] * 28]})\n"
                                               "...     _error = ''\n"
                                               '... except Exception as _exception:\n'
                                               "...     _error = (type(_exception).__name__ + ': ' + str(_exception)).replace('GradingError: in the notebook: ', '', 1)\n"
                                               ">>> assert _error.startswith('ValueError: '), 'pixels from 0 to 255 must raise ValueError'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
