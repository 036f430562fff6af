"""Starts processes until none more may start (they wait two seconds, and it waits for them, so
that the notebook can go on: a submission that uses up its processes cannot run its own cells)."""
ON, AT, DESERVES, SAYS = "complete", "start", "full", "no more processes after"

import os
import time

_started = 0
try:
    for _ in range(2000):
        if os.fork() == 0:
            time.sleep(2)
            os._exit(0)
        _started += 1
except OSError:
    pass
for _ in range(_started):
    os.wait()
raise RuntimeError(f"no more processes after {_started}" if _started < 2000 else "2000 processes started")
