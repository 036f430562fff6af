"""Checking that a lab grades as intended: its reference solution earns full marks, a blank one none."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Sequence

import nbformat

from .. import project
from .assign import LABS_ON_THE_NETWORK, autograder_questions, solution_answers
from .grade import Result, format_points, grade_submission
from .kernel import sandbox_problem
from .questions import Question


def answered_notebook(lab: str) -> nbformat.NotebookNode:
    """The student version with each answer cell filled in from the solution, as a student would."""
    answers = [code for _, code in solution_answers(lab)]
    notebook = nbformat.read(project.LABS / lab / f"{lab}.ipynb", as_version=4)
    cells = [cell for cell in notebook.cells if "otter_answer_cell" in cell.metadata.get("tags", [])]
    if len(cells) != len(answers):
        raise ValueError(f"{lab}: {len(cells)} answer cells in the student version, {len(answers)} in the solution")
    for cell, answer in zip(cells, answers):
        cell.source = answer
    return notebook


def _shortfall(result: Result, wanted: str) -> str:
    """What kept a result from the score wanted ("full" or "zero"), question by question."""
    if result.note:
        return result.note
    parts = []
    for name, possible in result.possible.items():
        if result.scores[name] != (possible if wanted == "full" else 0.0):
            reasons = result.feedback[name] + result.hidden_failures.get(name, [])
            parts.append(f"{name}: {format_points(result.scores[name])}/{format_points(possible)}: " + " | ".join(reasons))
    return "; ".join(parts)


def verify_lab(lab: str, questions: Sequence[Question] | None = None, timeout: float = 1200.0) -> list[str]:
    """Grade the answered and the untouched student version of a lab: they must get full marks, and 0.

    The time limit is per submission and generous: the image-classification lab trains a network,
    82 s alone on a fast machine, and over 600 s on a slow one busy with the rest of the tests.
    """
    problem = sandbox_problem()
    if problem:  # otherwise every kernel would fail to start, and the lab look broken
        raise RuntimeError(f"cannot check {lab}: grading needs a sandbox, and {problem}")
    questions = questions or autograder_questions(lab)
    problems = []
    with tempfile.TemporaryDirectory(prefix="verify-") as scratch:
        answered = Path(scratch) / "answered.ipynb"
        nbformat.write(answered_notebook(lab), answered)
        untouched = project.LABS / lab / f"{lab}.ipynb"
        for path, wanted in ((answered, "full"), (untouched, "zero")):
            result = grade_submission(path, questions, lab_dir=project.LABS / lab, timeout=timeout,
                                      network=lab in LABS_ON_THE_NETWORK)
            possible = sum(result.possible.values())
            if result.total != (possible if wanted == "full" else 0.0):
                problems.append(f"{lab}: the {path.stem} student version scores {format_points(result.total)}/"
                                f"{format_points(possible)} ({_shortfall(result, wanted)})")
    return problems
