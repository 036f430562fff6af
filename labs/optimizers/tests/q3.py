OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q3',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> _param, _m, _v = adam_step(np.array([1.0, 1.0]), np.array([2.0, -0.5]), np.zeros(2), np.zeros(2), 1, lr=0.1, beta1=0.9, beta2=0.999, eps=0.0)\n'
                                               '>>> _param_1, _m_1, _v_1 = (np.asarray(_param), np.asarray(_m), np.asarray(_v))\n'
                                               '>>> assert _param_1.shape == _m_1.shape == _v_1.shape == (2,)\n'
                                               ">>> np.testing.assert_allclose(_m_1, [0.2, -0.05], rtol=1e-12, err_msg='new_m is m_t, before bias correction')\n"
                                               ">>> np.testing.assert_allclose(_v_1, [0.004, 0.00025], rtol=1e-12, err_msg='new_v is v_t, before bias correction')\n"
                                               ">>> np.testing.assert_allclose(_param_1, [0.9, 1.1], rtol=1e-12, err_msg='the first step, bias-corrected, is lr * g / |g|')\n"
                                               '>>> _param_2, _m_2, _v_2 = adam_step(_param, np.array([2.0, -0.5]), _m, _v, 2, lr=0.1, beta1=0.9, beta2=0.999, eps=0.0)\n'
                                               '>>> np.testing.assert_allclose(np.asarray(_m_2), [0.38, -0.095], rtol=1e-12)\n'
                                               '>>> np.testing.assert_allclose(np.asarray(_v_2), [(1 - 0.999 ** 2) * 4.0, (1 - 0.999 ** 2) * 0.25], rtol=1e-12)\n'
                                               ">>> np.testing.assert_allclose(np.asarray(_param_2), [0.8, 1.2], rtol=1e-12, err_msg='bias correction with t = 2')\n"
                                               ">>> for _name, _before, _after in (('param', _param_1, _param), ('m', _m_1, _m), ('v', _v_1, _v)):\n"
                                               "...     np.testing.assert_array_equal(np.asarray(_after), _before, err_msg=f'{_name} was modified in place: return a new array')\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
