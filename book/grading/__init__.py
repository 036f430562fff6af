"""Graded labs: the tooling around the book, not part of what the chapters import.

- ``assign``: where each lab's source is (``solutions/<lab>/<lab>.ipynb``, Otter Assign's format)
  and what ``otter assign`` generates from it;
- ``generate``: the student versions in ``labs/``, and the check that they match their sources;
- ``questions``: a lab's questions and their public and hidden tests;
- ``kernel``: the Jupyter kernel a submission runs in, and proxies for the values that live there;
- ``grade``: batch grading of a folder of submissions, with feedback and a gradebook;
- ``rules``: rules on how a lab is answered (NumPy only), checked on the notebook's text;
- ``verify``: the check that a lab's reference solution gets full marks and a blank one none.
"""

from .assign import autograder_questions, lab_names, solution_notebook
from .generate import check_labs, generate_labs
from .grade import (DEFAULT_TIMEOUT, Result, grade_folder, grade_submission, read_submission, write_feedback,
                    write_gradebook)
from .kernel import GradingError, Limits, RemoteValue, StudentKernel, TimeLimit
from .questions import Question, TestCase, load_questions
from .verify import answered_notebook, verify_lab

__all__ = [
    "DEFAULT_TIMEOUT",
    "GradingError",
    "Limits",
    "Question",
    "RemoteValue",
    "Result",
    "StudentKernel",
    "TestCase",
    "TimeLimit",
    "answered_notebook",
    "autograder_questions",
    "check_labs",
    "generate_labs",
    "grade_folder",
    "grade_submission",
    "lab_names",
    "load_questions",
    "read_submission",
    "solution_notebook",
    "verify_lab",
    "write_feedback",
    "write_gradebook",
]
