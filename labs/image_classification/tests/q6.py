OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q6',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> import json as _json\n'
                                               '>>> import urllib.request as _request\n'
                                               ">>> _small = tf.keras.Sequential([tf.keras.Input(shape=(28, 28)), tf.keras.layers.Flatten(), tf.keras.layers.Dense(10, activation='softmax')])\n"
                                               '>>> _server, _thread = start_service(_small)\n'
                                               '>>> try:\n'
                                               '...     _host, _port = _server.server_address\n'
                                               "...     assert str(_host) == '127.0.0.1', 'listen on the loopback address 127.0.0.1 only'\n"
                                               "...     assert bool(_thread.is_alive()), 'start the thread that runs server.serve_forever'\n"
                                               "...     with _request.urlopen(f'http://127.0.0.1:{int(_port)}/health', timeout=10) as _response:\n"
                                               "...         assert _response.status == 200 and _json.loads(_response.read()) == {'status': 'ok'}\n"
                                               "...     _body = _json.dumps({'images': np.zeros((1, 28, 28)).tolist()}).encode()\n"
                                               "...     with _request.urlopen(_request.Request(f'http://127.0.0.1:{int(_port)}/predict', data=_body), timeout=10) as _response:\n"
                                               '...         _answer = _json.loads(_response.read())\n'
                                               "...     assert sorted(_answer) == ['classes', 'names', 'probabilities'] and len(_answer['classes']) == 1\n"
                                               '... finally:\n'
                                               '...     _ = _server.shutdown()\n'
                                               '...     _ = _server.server_close()\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
