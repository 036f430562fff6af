OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q4',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> from pathlib import Path as _Path\n'
                                               ">>> assert _Path(str(MODEL_PATH)).is_file(), 'model.save(MODEL_PATH)'\n"
                                               ">>> assert str(served_model.output_shape) == '(None, 10)'\n"
                                               '>>> _images = np.linspace(0, 1, 3 * 28 * 28, dtype=np.float32).reshape(3, 28, 28)\n'
                                               '>>> np.testing.assert_allclose(np.asarray(served_model.predict(_images, verbose=0)), np.asarray(model.predict(_images, verbose=0)), rtol=1e-06, '
                                               'atol=1e-07)\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
