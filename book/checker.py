"""Checking lab answers: ``grader.check("q1")`` in a lab runs question q1's public tests.

A lab's tests are otter's OK-format files in ``labs/<lab>/tests/`` (generated from
``solutions/``). Each test case is a short doctest; it stops at its first failing line. What a
student reads first is one line that says what went wrong:

- the question is not answered yet (a name the test uses is still ``...``, or a function whose
  body is still ``...``, or a function it calls is);
- the test's own message (``assert ..., "message"`` or ``err_msg=``), the call that produced the
  value, what that value was and what was expected;
- the exception the student's code raised, and the call that raised it.

The test's code and the full error follow, folded away. Batch grading (``book.grading``) runs
the same cases with the same runner, in its own process, on values that live in the student's
kernel.
"""

from __future__ import annotations

import ast
import builtins
import doctest
import html
import inspect
import re
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

__all__ = ["Checker", "Failure", "Question", "TestCase", "describe_failure", "load_questions", "run_case"]

_MAX_LINE = 320


@dataclass
class TestCase:
    code: str
    hidden: bool
    points: float = 0.0  # what passing it earns, where the question gives points case by case


@dataclass
class Question:
    name: str
    points: float
    cases: list[TestCase]
    all_or_nothing: bool = True  # otherwise each case earns its own points (independent parts)

    def score(self, passed: list[bool]) -> float:
        """The points earned when the cases passed or failed as ``passed`` says."""
        if all(passed):
            return self.points
        if self.all_or_nothing:
            return 0.0
        return sum(case.points for case, ok in zip(self.cases, passed) if ok)


def _natural_key(name: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def load_questions(tests_dir: Path) -> list[Question]:
    """The questions of a lab from otter's OK-format test files (written by ``otter assign``)."""
    questions = []
    for path in sorted(Path(tests_dir).glob("*.py"), key=lambda p: _natural_key(p.stem)):
        namespace: dict[str, Any] = {}
        exec(path.read_text(encoding="utf-8"), namespace)  # a generated file of the lab itself
        spec = namespace["test"]
        specs = [case for suite in spec["suites"] for case in suite["cases"]]
        points = float(spec.get("points") or 1)
        # As otter does: cases without points of their own share what the others leave.
        given = [float(case["points"]) for case in specs if case.get("points") is not None]
        share = (points - sum(given)) / max(len(specs) - len(given), 1)
        cases = [TestCase(case["code"], bool(case.get("hidden", True)),
                          share if case.get("points") is None else float(case["points"])) for case in specs]
        questions.append(Question(spec["name"], points, cases, bool(spec.get("all_or_nothing", False))))
    return questions


@dataclass
class Failure:
    """The first failing line of a test case, and what happened there."""

    line: int  # index of the failing example among the case's examples
    source: str
    exception: BaseException | None = None
    printed: str = ""
    expected: str = ""
    trace: str = ""

    def report(self) -> str:
        """The failing line and its error, in two lines (what batch grading records)."""
        if self.exception is None:
            return f"{self.source}\nprinted {self.printed!r}, expected {self.expected!r}"
        return f"{self.source}\n{type(self.exception).__name__}: {self.exception}".strip()


class _FirstFailure(doctest.DocTestRunner):
    """A doctest runner that stops at the first failing line and keeps it as a ``Failure``."""

    def __init__(self):
        super().__init__(verbose=False, optionflags=doctest.ELLIPSIS | doctest.FAIL_FAST)
        self.failure: Failure | None = None

    def report_failure(self, out, test, example, got):
        self.failure = Failure(test.examples.index(example), example.source.strip(),
                               printed=got.strip(), expected=example.want.strip())

    def report_unexpected_exception(self, out, test, example, exc_info):
        trace = "".join(traceback.format_exception(exc_info[1].with_traceback(_student_frames(exc_info[2]))))
        self.failure = Failure(test.examples.index(example), example.source.strip(), exception=exc_info[1],
                               trace=trace)


def _student_frames(tb):
    """The traceback without the frames of doctest and of installed packages."""
    frames = []
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if "site-packages" not in name and "/lib/python" not in name and name != __file__:
            frames.append(tb)
        tb = tb.tb_next
    for frame, following in zip(frames, frames[1:] + [None]):
        frame.tb_next = following  # (assignable since Python 3.7)
    return frames[0] if frames else None


STDOUT_LOCK = threading.Lock()
"""Held while a case runs: doctest swaps ``sys.stdout`` (and pdb's and linecache's hooks) for the
whole process meanwhile, so cases from several threads take turns, and a thread that prints while
cases run elsewhere takes it too (or its lines would be read as the case's output)."""


def run_case(code: str, env: Mapping[str, Any], name: str) -> Failure | None:
    """Run one case (doctest lines) in a copy of ``env``; its first failure, or None if it passed."""
    examples = doctest.DocTestParser().get_examples(code, name)
    test = doctest.DocTest(examples, dict(env), name, None, 0, code)
    runner = _FirstFailure()
    with STDOUT_LOCK:
        runner.run(test, out=lambda text: None, clear_globs=False)
    return runner.failure


# --- one line that says what is wrong -------------------------------------------------------------

def _one_line(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _MAX_LINE else text[:_MAX_LINE - 3] + "..."


def _value(text: str) -> str:
    """A value as NumPy's testing functions print it, on one line: ``array([1, 2])`` becomes ``[1, 2]``."""
    text = " ".join(text.split())
    match = re.fullmatch(r"array\((.*?)(?:, dtype=\w+)?\)", text)
    text = match.group(1) if match else text
    return text if len(text) <= 120 else text[:117] + "..."


def _is_stub(function: Any) -> bool:
    """Whether a function defined in the notebook still has ``...`` as its whole body."""
    try:
        tree = ast.parse(inspect.getsource(function).strip())
    except (OSError, TypeError, SyntaxError, ValueError):
        return False
    definition = tree.body[0] if tree.body else None
    if not isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    body = definition.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]  # the docstring
    return len(body) == 1 and isinstance(body[0], ast.Expr) and getattr(body[0].value, "value", None) is Ellipsis


def _unanswered(name: str, value: Any, env: Mapping[str, Any]) -> list[str]:
    """Names, among ``name`` and the notebook's functions it calls, that are still ``...``."""
    if value is Ellipsis or (inspect.isfunction(value) and _is_stub(value)):
        return [name]
    if inspect.isfunction(value):
        called = [other for other in value.__code__.co_names
                  if other in env and inspect.isfunction(env[other]) and _is_stub(env[other])]
        return sorted(set(called))
    return []


def _names_read(code: str) -> list[str]:
    """Names a case reads that it does not define itself: the student's names (and ``np``)."""
    examples = doctest.DocTestParser().get_examples(code)
    defined, read = set(), []
    for example in examples:
        try:
            tree = ast.parse(example.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Store):
                    defined.add(node.id)
                elif node.id not in defined and node.id not in read:
                    read.append(node.id)
            elif isinstance(node, ast.alias):
                defined.add((node.asname or node.name).split(".")[0])
    return [name for name in read if name not in defined and not hasattr(builtins, name)
            and name not in ("np", "numpy")]


def _student_call(code: str, failure: Failure) -> str:
    """The call of a student function whose value the failing line checks, as written in the test."""
    sources = [example.source for example in doctest.DocTestParser().get_examples(code)]
    student = set(_names_read(code))

    def calls_in(source: str) -> str:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return ""
        for node in ast.walk(tree):  # breadth first: the outermost call of a student name
            if isinstance(node, ast.Call) and any(isinstance(inner, ast.Name) and inner.id in student
                                                  for inner in ast.walk(node.func)):
                return ast.get_source_segment(source, node) or ""
        return ""

    def read_names(source: str) -> set[str]:
        try:
            return {node.id for node in ast.walk(ast.parse(source))
                    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
        except SyntaxError:
            return set()

    found = calls_in(failure.source)
    wanted, index = read_names(failure.source), failure.line
    while not found and wanted and index > 0:
        index -= 1
        try:
            statement = ast.parse(sources[index]).body[0]
        except (SyntaxError, IndexError):
            continue
        if not isinstance(statement, ast.Assign):
            continue
        targets = {node.id for target in statement.targets for node in ast.walk(target) if isinstance(node, ast.Name)}
        if targets & wanted:
            found = calls_in(sources[index])
            wanted = (wanted - targets) | read_names(ast.get_source_segment(sources[index], statement.value) or "")
    return found


def _comparison(message: str) -> tuple[str, str]:
    """(the test's own words, 'gave ..., expected ...') from a NumPy testing assertion message."""
    if "ACTUAL:" not in message or "DESIRED:" not in message:
        return _one_line(message), ""
    head, values = message.split(" ACTUAL:", 1)
    actual, desired = values.split(" DESIRED:", 1)
    words = []
    for line in head.strip().splitlines()[1:]:  # after "Not equal to tolerance ...", "Arrays are not equal"
        if line.startswith(("Mismatched elements", "Mismatch at", " [", "Max absolute", "Max relative")):
            break
        if line.strip():
            words.append(line.strip().strip("()"))
    return _one_line("; ".join(words)), f"gave {_value(actual)}; expected {_value(desired)}"


def describe_failure(question: str, code: str, failure: Failure, env: Mapping[str, Any] | None = None) -> str:
    """One line for the student: what is wrong with ``question``, given how its test case failed.

    ``env`` is the notebook's namespace when the test ran there; with it, unanswered questions are
    recognised as such.
    """
    if env is not None:
        stubs = sorted({stub for name in _names_read(code) if name in env for stub in _unanswered(name, env[name], env)})
        if stubs:
            where = ", ".join(f"`{name}`" for name in stubs)
            verb = "is" if len(stubs) == 1 else "are"
            return (f"{question} is not answered yet ({where} still {verb} `...`): replace the `...` with your "
                    "code, run that cell, then this check again.")
    error = failure.exception
    if isinstance(error, NameError) and getattr(error, "name", None):
        return (f"{question}: `{error.name}` is not defined yet: write it where the question asks (in place of "
                "the `...`), run that cell, then this check again.")
    call = _student_call(code, failure)
    subject = f"`{_one_line(call)}`" if call else f"the test line `{_one_line(failure.source)}`"
    if error is None:
        return _one_line(f"{question}: {subject} printed {failure.printed}, expected {failure.expected}.")
    if isinstance(error, AssertionError):
        words, values = _comparison(str(error))
        if values:
            said = f"{words}: " if words else ""
            return _one_line(f"{question}: {said}{subject} {values}")
        if words:
            return _one_line(f"{question}: {words} (checked on {subject}).")
        return _one_line(f"{question}: a check failed on {subject}: `{failure.source}`.")
    message = str(error).strip().splitlines()[-1] if str(error).strip() else ""
    return _one_line(f"{question}: {subject} raised {type(error).__name__}" + (f": {message}" if message else "") + ".")


# --- the checker students call --------------------------------------------------------------------

@dataclass
class QuestionResult:
    """One question's public tests: passed, or the first line and details of the first failure."""

    question: str
    summary: str
    details: str = ""

    @property
    def passed(self) -> bool:
        return not self.details

    def __repr__(self) -> str:
        return self.summary + ("\n\n" + self.details if self.details else "")

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.passed else "#b3261e"
        mark = "✓" if self.passed else "✗"
        line = f"<p style='color: {colour}; font-weight: bold;'>{mark} {html.escape(self.summary)}</p>"
        if not self.details:
            return line
        return (line + "<details><summary>The test, and the full error</summary>"
                f"<pre>{html.escape(self.details)}</pre></details>")


@dataclass
class CheckAll:
    results: list[QuestionResult]

    def __repr__(self) -> str:
        return "\n".join(result.summary for result in self.results)

    def _repr_html_(self) -> str:
        return "".join(result._repr_html_() for result in self.results)


class Checker:
    """``grader`` in a lab: ``check("q1")`` runs q1's public tests on the notebook as it is now."""

    def __init__(self, notebook: str, tests_dir: str | Path = "tests"):
        self.notebook = notebook
        self.tests_dir = Path(tests_dir)
        if not self.tests_dir.is_dir():
            raise FileNotFoundError(f"no folder {self.tests_dir}/ next to {notebook}: open the lab from its "
                                    "folder (labs/<lab>/), where its tests are")

    def _questions(self) -> dict[str, Question]:
        return {question.name: question for question in load_questions(self.tests_dir)}

    def check(self, question: str, env: Mapping[str, Any] | None = None) -> QuestionResult:
        questions = self._questions()
        if question not in questions:
            raise ValueError(f"this lab has no question {question!r}; its questions are {', '.join(questions)}")
        env = env if env is not None else inspect.currentframe().f_back.f_globals
        return self._run(questions[question], env)

    def check_all(self, env: Mapping[str, Any] | None = None) -> CheckAll:
        env = env if env is not None else inspect.currentframe().f_back.f_globals
        return CheckAll([self._run(question, env) for question in self._questions().values()])

    @staticmethod
    def _run(question: Question, env: Mapping[str, Any]) -> QuestionResult:
        public = [case for case in question.cases if not case.hidden]
        for number, case in enumerate(public, start=1):
            failure = run_case(case.code, env, f"{question.name} test {number}")
            if failure is None:
                continue
            marked = [("→ " if index == failure.line else "  ") + example.source.rstrip()
                      for index, example in enumerate(doctest.DocTestParser().get_examples(case.code))]
            error = failure.trace.strip() or failure.report().split("\n", 1)[1]
            details = (f"Public test {number} of {len(public)}; it stopped at the line marked →:\n\n"
                       + "\n".join(marked) + "\n\n" + error)
            return QuestionResult(question.name, describe_failure(question.name, case.code, failure, env), details)
        passed = "the public test passed" if len(public) == 1 else f"all {len(public)} public tests passed"
        return QuestionResult(question.name, f"{question.name}: {passed}. (The grade also counts hidden tests "
                              "with other inputs.)")
