"""Every answer the kernel sends back replaced by one of the wrong shape."""
ON, AT, DESERVES = "complete", "start", "zero"

import json

json.dump = lambda obj, handle, **kwargs: handle.write('{"ok": ["value", [1, 2, 3]]}')
