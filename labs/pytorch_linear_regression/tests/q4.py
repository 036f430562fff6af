OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q4',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': ">>> assert CHECKPOINT.is_file(), 'save the state dict to CHECKPOINT'\n"
                                               ">>> assert str(reloaded) == 'Linear(in_features=1, out_features=1, bias=True)'\n"
                                               ">>> assert reloaded.weight.data_ptr() != model.weight.data_ptr(), 'reloaded must be a new model'\n"
                                               '>>> assert predictions.shape == (17, 1) and reloaded_predictions.shape == (17, 1)\n'
                                               ">>> assert str(identical) == 'True', 'identical = torch.equal(predictions, reloaded_predictions)'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
