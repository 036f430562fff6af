"""Asks for 12 GiB at once, more than a submission's process may have."""
ON, AT, DESERVES, SAYS = "complete", "start", "full", "refused"

import numpy

try:
    _block = numpy.zeros(12 * 2**30, dtype=numpy.uint8)  # calloc: no page is touched where this succeeds
except MemoryError:
    raise MemoryError("refused") from None
del _block
raise RuntimeError("12 GiB allocated")
