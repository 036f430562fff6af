OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q2',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> _labels = np.arange(10)\n'
                                               '>>> _images = np.arange(40.0).reshape(10, 2, 2)\n'
                                               '>>> _reader = MiniBatches(_images, _labels, seed=0)\n'
                                               '>>> assert int(_reader.epochs_completed) == 0\n'
                                               '>>> _seen, _sizes, _epochs = ([], [], [])\n'
                                               '>>> for _ in range(3):\n'
                                               '...     _batch_images, _batch_labels = _reader.next_batch(4)\n'
                                               '...     _batch_images, _batch_labels = (np.asarray(_batch_images), np.asarray(_batch_labels))\n'
                                               "...     assert _batch_images.shape[1:] == (2, 2), 'a batch of images keeps the image shape'\n"
                                               "...     np.testing.assert_allclose(_batch_images[:, 0, 0], 4 * _batch_labels, err_msg='images must stay with their labels')\n"
                                               '...     _sizes.append(len(_batch_labels))\n'
                                               '...     _seen.extend(_batch_labels.tolist())\n'
                                               '...     _epochs.append(int(_reader.epochs_completed))\n'
                                               ">>> assert _sizes == [4, 4, 4], f'every batch is full: sizes [4, 4, 4], got {_sizes}'\n"
                                               ">>> assert sorted(_seen[:10]) == list(range(10)), 'the first epoch must hold every example exactly once'\n"
                                               ">>> assert _seen[:10] != list(range(10)), 'shuffle the examples'\n"
                                               ">>> assert _epochs == [0, 0, 1], f'epochs_completed after each call should be [0, 0, 1], got {_epochs}'\n"
                                               '>>> _generator = np.random.default_rng(0)\n'
                                               '>>> _expected = np.concatenate([_generator.permutation(10), _generator.permutation(10)])[:12].tolist()\n'
                                               ">>> assert _seen == _expected, 'the third batch ends the first permutation and starts the second, both drawn from default_rng(seed)'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
