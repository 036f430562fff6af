"""Writes one file of 512 MB, more than a submission may write to one file."""
ON, AT, DESERVES, SAYS = "complete", "start", "full", "File too large"

with open("filler.bin", "wb") as _handle:
    for _ in range(512):
        _handle.write(bytes(2**20))
