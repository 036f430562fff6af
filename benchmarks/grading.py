"""How fast ``python -m book grade`` gets through a class: honest submissions of one lab per minute.

Makes ``--count`` copies of the lab's answered student version, grades them with each ``--jobs``
value in turn (every submission in its own sandbox), and prints the submissions per minute and
the seconds one submission takes from its kernel's start to its last test.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

from book import grading


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lab", default="perceptron")
    parser.add_argument("--count", type=int, default=100, help="submissions to grade (default: %(default)s)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, grading.grade.default_jobs()],
                        help="values of --jobs to measure (default: 1 and one per core)")
    args = parser.parse_args()
    questions = grading.autograder_questions(args.lab)
    print(f"{args.count} answered submissions of {args.lab}")
    print(f"{'jobs':>4} {'submissions/min':>16} {'s per submission':>17} {'all full marks':>15}")
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as scratch:
        submissions = Path(scratch) / "submissions"
        submissions.mkdir()
        answered = grading.answered_notebook(args.lab)
        for number in range(args.count):
            nbformat.write(answered, submissions / f"student{number:03d}.ipynb")
        for jobs in dict.fromkeys(args.jobs):
            start = time.perf_counter()
            results = grading.grade_folder(submissions, Path(scratch) / f"graded-{jobs}", lab=args.lab,
                                           questions=questions, jobs=jobs, log=lambda line: None)
            minutes = (time.perf_counter() - start) / 60
            each = statistics.median(result.seconds for result in results)
            full = all(result.total == sum(result.possible.values()) for result in results)
            print(f"{jobs:>4} {args.count / minutes:16.1f} {each:17.2f} {str(full):>15}")


if __name__ == "__main__":
    main()
