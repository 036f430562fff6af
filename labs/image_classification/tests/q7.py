OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q7',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': ">>> assert int(health_status) == 200 and str(health['status']) == 'ok'\n"
                                               '>>> assert int(status) == 200\n'
                                               '>>> _service = np.asarray(service_classes)\n'
                                               ">>> assert _service.shape == (32,) and _service.dtype.kind in 'iu'\n"
                                               ">>> np.testing.assert_array_equal(_service, np.asarray(model_classes), err_msg='the service must predict what served_model predicts')\n"
                                               ">>> assert int(bad_status) == 400, 'a flattened image is a bad request: 400'\n"
                                               ">>> assert len(str(bad_answer['error'])) > 0\n"
                                               ">>> assert not bool(thread.is_alive()), 'shut the server down: server.shutdown(), server.server_close(), thread.join()'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
