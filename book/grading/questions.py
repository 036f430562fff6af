"""A lab's questions: otter's OK-format test files, read into plain data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class TestCase:
    code: str
    hidden: bool


@dataclass
class Question:
    name: str
    points: float
    cases: list[TestCase]


def _natural_key(name: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def load_questions(tests_dir: Path) -> list[Question]:
    """The questions of a lab from otter's OK-format test files (written by ``otter assign``)."""
    questions = []
    for path in sorted(Path(tests_dir).glob("*.py"), key=lambda p: _natural_key(p.stem)):
        namespace: dict[str, Any] = {}
        exec(path.read_text(encoding="utf-8"), namespace)  # our own generated file
        spec = namespace["test"]
        cases = [TestCase(case["code"], bool(case.get("hidden", True)))
                 for suite in spec["suites"] for case in suite["cases"]]
        questions.append(Question(spec["name"], float(spec.get("points") or 1), cases))
    return questions
