"""Otter Assign: where each lab's source lives, and the student version and tests it generates."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import nbformat

from .. import project
from .questions import Question, load_questions


def lab_names() -> list[str]:
    """Every lab with a source notebook ``solutions/<lab>/<lab>.ipynb``."""
    return sorted(path.parent.name for path in project.SOLUTIONS.glob("*/*.ipynb")
                  if path.stem == path.parent.name)


def solution_notebook(lab: str) -> Path:
    return project.SOLUTIONS / lab / f"{lab}.ipynb"


def solution_answers(lab: str) -> list[tuple[str, str]]:
    """Each answer cell of a lab's solution, in order, as ``(question, code)``: the code a student
    writes in place of the ``...``, with the solution markers removed."""
    answers, question, inside = [], None, False
    for cell in nbformat.read(solution_notebook(lab), as_version=4).cells:
        source = cell.source.strip()
        if cell.cell_type == "raw" and source.startswith("# BEGIN QUESTION"):
            question = re.search(r"^name:\s*(\S+)", source, re.MULTILINE).group(1)
        elif cell.cell_type == "raw" and re.match(r"#\s*BEGIN SOLUTION", source, re.IGNORECASE):
            inside = True
        elif cell.cell_type == "raw" and re.match(r"#\s*END SOLUTION", source, re.IGNORECASE):
            inside = False
        elif inside and cell.cell_type == "code":
            lines = [re.sub(r"\s*# SOLUTION\s*$", "", line) for line in cell.source.splitlines()
                     if line.strip() not in ("# BEGIN SOLUTION", "# END SOLUTION")]
            answers.append((question, "\n".join(lines)))
    return answers


def run_otter_assign(lab: str, result: Path, run_tests: bool) -> Path:
    """Run ``otter assign`` on a lab's source into ``result`` (with ``student/`` and ``autograder/``).

    With ``run_tests`` otter also grades the solution with its own tests and raises when it does
    not get full marks.
    """
    from otter.assign import main as otter_assign

    otter_assign(str(solution_notebook(lab)), str(result), no_pdfs=True, no_run_tests=not run_tests)
    return result


# What working on a lab leaves next to it (otter's log of checks, caches), never generated.
NOT_GENERATED = {".ipynb_checkpoints", "__pycache__", ".OTTER_LOG"}


def autograder_questions(lab: str) -> list[Question]:
    """A lab's questions with their public and hidden tests, generated from its source."""
    with tempfile.TemporaryDirectory(prefix="autograder-") as scratch:
        result = run_otter_assign(lab, Path(scratch) / lab, run_tests=False)
        return load_questions(result / "autograder" / "tests")


# Labs whose tests talk to the student's code over the loopback interface (the image-classification
# lab's client sends its requests to a server the test runs): their sandbox keeps the host's network.
LABS_ON_THE_NETWORK = frozenset({"image_classification"})
