"""Prints 100 MB at once, more than the grader takes in one message."""
ON, AT, DESERVES = "complete", "start", "full"

print("x" * 100_000_000)
