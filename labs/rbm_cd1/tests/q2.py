OK_FORMAT = True

test = {'all_or_nothing': True, 'name': 'q2', 'points': 4, 'suites': [{'cases': [], 'scored': True, 'setup': '', 'teardown': '', 'type': 'doctest'}]}
