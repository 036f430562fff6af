OK_FORMAT = True

test = {   'all_or_nothing': True,
    'name': 'q4',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': ">>> _gd = steps_to_leave_saddle('gd', lr=0.1)\n"
                                               ">>> assert int(_gd) == 38, f'gradient descent from (1.5, 0.001) with lr 0.1 needs 38 steps, not {int(_gd)}'\n"
                                               ">>> _adam = steps_to_leave_saddle('adam', lr=0.1)\n"
                                               ">>> assert 1 <= int(_adam) < 38, 'Adam leaves the saddle in fewer steps than gradient descent'\n"
                                               ">>> assert str(steps_to_leave_saddle('gd', lr=0.1, max_steps=37)) == 'None', 'None when |y| is still at most 1 after max_steps steps'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
