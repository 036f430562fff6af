OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q1',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> _model = build_model()\n'
                                               ">>> assert str(_model.input_shape) == '(None, 28, 28)', 'the input is a batch of 28 × 28 images: tf.keras.Input(shape=(28, 28))'\n"
                                               '>>> assert str(_model.output_shape) == \'(None, 10)\', "the output is one probability per class: Dense(10, activation=\'softmax\')"\n'
                                               ">>> assert bool(_model.compiled), 'call model.compile(...) before returning the model'\n"
                                               '>>> _probabilities = np.asarray(_model.predict(np.zeros((2, 28, 28), dtype=np.float32), verbose=0))\n'
                                               '>>> assert _probabilities.shape == (2, 10)\n'
                                               ">>> np.testing.assert_allclose(_probabilities.sum(axis=1), 1, rtol=1e-05, err_msg='each row must sum to 1: end with a softmax')\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
