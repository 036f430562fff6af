OK_FORMAT = True

test = {'all_or_nothing': True, 'name': 'q1', 'points': 2, 'suites': [{'cases': [], 'scored': True, 'setup': '', 'teardown': '', 'type': 'doctest'}]}
