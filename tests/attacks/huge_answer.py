"""Every answer the kernel sends back made 100 MB long."""
ON, AT, DESERVES, SAYS = "complete", "start", "zero", "answers are limited to"

import json

json.dump = lambda obj, handle, **kwargs: handle.write('{"ok": ["value", "' + "x" * 100_000_000 + '"]}')
