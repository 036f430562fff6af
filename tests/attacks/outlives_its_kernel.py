"""A process in a session of its own, meant to live on after the kernel and rewrite later grades."""
ON, AT, DESERVES = "complete", "start", "full"

import subprocess
import sys

subprocess.Popen([sys.executable, "-c", "import time; time.sleep(4242)"], start_new_session=True)
