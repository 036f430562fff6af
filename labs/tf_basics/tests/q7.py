OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q7',
    'points': 1,
    'suites': [   {   'cases': [   {   'code': ">>> assert str(var2.name) == 'my_var:0', f'got {var2.name}'\n"
                                               ">>> assert str(var3.name) == 'my_var_1:0', f'got {var3.name}: the second my_var is renamed'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
