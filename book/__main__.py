import os
import sys

from .cli import main

# Grading starts isolated (-I): neither the working folder nor PYTHONPATH nor the user's site
# folder is searched, so no file put there can stand in for a module the tests import.
if sys.argv[1:2] == ["grade"] and not sys.flags.isolated:
    os.execv(sys.executable, [sys.executable, "-I", "-m", "book", *sys.argv[1:]])

sys.exit(main())
