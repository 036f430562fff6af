"""Student versions of the labs, generated from their solutions by Otter Assign.

Each lab has one source, ``solutions/<lab>/<lab>.ipynb``, in Otter Assign's format. ``otter assign``
turns it into a student notebook (answers replaced by ``...``) and its public tests, which are
copied into ``labs/<lab>/``; ``check_labs`` regenerates them in a temporary folder and reports any
difference, so that ``labs/`` never drifts from its sources.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Sequence

import nbformat

from .. import project
from . import assign
from .questions import load_questions
from .verify import verify_lab


# Otter's first cell starts otter's checker; the labs start the book's, whose messages say first,
# in one line, what is wrong (book.checker).
_OTTER_INIT = re.compile(r'# Initialize Otter\s*\nimport otter\s*\ngrader = otter\.Notebook\("([\w.-]+)"\)\s*')
CHECKER_CELL = ('# The checker: grader.check("q1") runs the public tests of question 1\n'
                'from book.checker import Checker\n'
                'grader = Checker("{notebook}")')


def _normalized_notebook(path: Path) -> str:
    """A generated notebook as text: the book's checker, and cell ids that do not change between runs."""
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index}"
        init = _OTTER_INIT.fullmatch(cell.source) if cell.cell_type == "code" else None
        if init:
            cell.source = CHECKER_CELL.format(notebook=init.group(1))
    return nbformat.writes(notebook) + "\n"


def _tree(folder: Path) -> dict[str, bytes]:
    """The files under ``folder`` by relative path; notebooks normalized, by-products left out."""
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_dir() or assign.NOT_GENERATED & set(relative.parts):
            continue
        content = _normalized_notebook(path).encode() if path.suffix == ".ipynb" else path.read_bytes()
        files[relative.as_posix()] = content
    return files


def generate_labs(labs: Sequence[str] | None = None, run_tests: bool = True) -> list[Path]:
    """Write ``labs/<lab>/`` for each lab from its source; return the folders written.

    With ``run_tests`` (the default) a lab is checked before it counts as written: otter grades
    the solution with its own tests, then this module's grading must give the answered student
    version full marks and the untouched one zero. A failure raises ``RuntimeError``.
    """
    written = []
    with tempfile.TemporaryDirectory(prefix="labs-") as scratch:
        for lab in labs or assign.lab_names():
            result = assign.run_otter_assign(lab, Path(scratch) / lab, run_tests)
            files = _tree(result / "student")
            target = project.LABS / lab
            if target.exists():
                shutil.rmtree(target)
            for relative, content in files.items():
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                (target / relative).write_bytes(content)
            written.append(target)
            questions = load_questions(result / "autograder" / "tests")
            problems = verify_lab(lab, questions) if run_tests else []
            if problems:
                raise RuntimeError("; ".join(problems))
    return written


def check_labs(labs: Sequence[str] | None = None) -> list[str]:
    """Differences between ``labs/`` and what the sources generate (empty when in sync)."""
    problems = []
    names = list(labs or assign.lab_names())
    if labs is None:
        stale = sorted(path.name for path in project.LABS.iterdir()
                       if path.is_dir() and path.name not in names)
        problems += [f"labs/{name} has no source solutions/{name}/{name}.ipynb" for name in stale]
    with tempfile.TemporaryDirectory(prefix="labs-") as scratch:
        for lab in names:
            expected = _tree(assign.run_otter_assign(lab, Path(scratch) / lab, run_tests=False) / "student")
            folder = project.LABS / lab
            actual = _tree(folder) if folder.is_dir() else {}
            for relative in sorted(expected.keys() | actual.keys()):
                if relative not in actual:
                    problems.append(f"labs/{lab}/{relative} is missing")
                elif relative not in expected:
                    problems.append(f"labs/{lab}/{relative} is not generated from the source")
                elif actual[relative] != expected[relative]:
                    problems.append(f"labs/{lab}/{relative} differs from what the source generates")
    return problems
