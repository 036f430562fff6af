import os
import sys

from .cli import main

# Grading runs isolated (-I): the working folder, PYTHONPATH and the user's site folder are not
# searched, so no file put there can stand in for a module that grading imports from here on
# (otter, the modules the tests import). Run it as `python -I -m book grade` to cover the modules
# `book` itself imports, too.
if sys.argv[1:2] == ["grade"] and not sys.flags.isolated:
    os.execv(sys.executable, [sys.executable, "-I", "-m", "book", *sys.argv[1:]])

sys.exit(main())
