OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q3',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> _labels = np.arange(10)\n'
                                               '>>> _images = np.arange(40, dtype=np.float32).reshape(10, 2, 2)\n'
                                               '>>> _loader = make_torch_loader(_images, _labels, 4, 0)\n'
                                               '>>> _seen, _sizes = ([], [])\n'
                                               '>>> for _batch in _loader:\n'
                                               '...     _batch_images, _batch_labels = _batch\n'
                                               '...     assert str(_batch_images.dtype) == \'torch.float32\', "keep the images\' dtype (torch.from_numpy)"\n'
                                               '...     _batch_images, _batch_labels = (np.asarray(_batch_images.numpy()), np.asarray(_batch_labels.numpy()))\n'
                                               '...     np.testing.assert_allclose(_batch_images[:, 0, 0], 4 * _batch_labels)\n'
                                               '...     _sizes.append(len(_batch_labels))\n'
                                               '...     _seen.extend(_batch_labels.tolist())\n'
                                               ">>> assert _sizes == [4, 4, 2], f'batch sizes should be [4, 4, 2], got {_sizes}'\n"
                                               ">>> assert sorted(_seen) == list(range(10)), 'one pass must hold every example exactly once'\n"
                                               ">>> assert _seen != list(range(10)), 'shuffle=True'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
