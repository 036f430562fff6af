"""A cell that never ends."""
ON, AT, DESERVES, SAYS = "complete", "start", "zero", "ran past the time limit"

while True:
    pass
