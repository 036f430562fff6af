"""Starts sleeping processes until none more may start (last: a submission that uses up its processes
cannot run its own cells any more)."""
ON, AT, DESERVES, SAYS = "complete", "end", "full", "no more processes after"

import os
import time

for _count in range(2000):
    try:
        if os.fork() == 0:
            time.sleep(4343)
            os._exit(0)
    except OSError:
        raise RuntimeError(f"no more processes after {_count}") from None
raise RuntimeError("2000 processes started")
