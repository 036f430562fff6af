OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q2',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> from pathlib import Path as _Path\n'
                                               ">>> for _metric in ('loss', 'accuracy', 'val_loss', 'val_accuracy'):\n"
                                               '...     _values = np.asarray(history[_metric])\n'
                                               "...     assert _values.shape == (int(EPOCHS),), f'history[{_metric!r}] must have one value per epoch'\n"
                                               ">>> for _part in ('train', 'validation'):\n"
                                               "...     _files = list((_Path(str(LOG_DIR)) / _part).glob('events.out.tfevents.*'))\n"
                                               "...     assert _files, f'no TensorBoard event file in LOG_DIR/{_part}: pass callbacks=[tensorboard] to fit_keras'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
