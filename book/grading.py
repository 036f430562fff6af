"""Graded labs: student versions generated from the solutions, and batch grading.

**Generation.** Each lab has one source, ``solutions/<lab>/<lab>.ipynb``, in Otter Assign's format.
``otter assign`` turns it into a student notebook (answers replaced by ``...``) and its public
tests, which are copied into ``labs/<lab>/``; ``check_labs`` regenerates them in a temporary folder
and reports any difference, so that ``labs/`` never drifts from its sources.

**Grading.** Otter runs the tests in the same Python process as the student's code, so a submission
can redefine ``grader`` or patch ``np.testing.assert_allclose`` and pass. Here each submission runs
in its own Jupyter kernel under a time limit; the tests then run in the grader's own process, which
never runs student code. Student values reach the tests through ``RemoteValue`` proxies: attribute
access, calls, indexing and iteration are carried out in the student's kernel, and only plain data
(numbers, strings, lists, dicts and numeric arrays, decoded without pickle) comes back to be
compared. The expected values never enter the student's kernel. What this does not stop is a
submission that acts on the file system (reads the solutions, rewrites files later): grade on a
machine or account where those are out of its reach.
"""

from __future__ import annotations

import base64
import builtins
import csv
import doctest
import io
import json
import os
import queue
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import nbformat
import numpy as np

from . import project

__all__ = [
    "lab_names",
    "generate_labs",
    "check_labs",
    "answered_notebook",
    "verify_lab",
    "load_questions",
    "autograder_questions",
    "grade_submission",
    "grade_folder",
    "RemoteValue",
]

DEFAULT_TIMEOUT = 120.0
"""Seconds a submission may spend running its cells and its tests (kernel start-up excluded)."""

# Cells otter adds for students' own feedback. Grading skips the set-up and check-all cells (it
# does not need otter in the student's kernel, and importing it there costs seconds); where a
# `grader.check("q1")` cell stands, grading runs that question's tests instead.
_FEEDBACK_CELL = re.compile(
    r"""\#\ Initialize\ Otter\s*\n\s*import\ otter\s*\n\s*grader\ =\ otter\.Notebook\(\s*"[\w.-]+"\s*\)
      |grader\.check_all\(\s*\)""",
    re.VERBOSE,
)
_CHECK_CELL = re.compile(r"""grader\.check\(\s*["']([\w.-]+)["']\s*\)""")


# --------------------------------------------------------------------------------------------
# Generation of the student versions


def lab_names() -> list[str]:
    """Every lab with a source notebook ``solutions/<lab>/<lab>.ipynb``."""
    return sorted(path.parent.name for path in project.SOLUTIONS.glob("*/*.ipynb")
                  if path.stem == path.parent.name)


def solution_notebook(lab: str) -> Path:
    return project.SOLUTIONS / lab / f"{lab}.ipynb"


def run_otter_assign(lab: str, result: Path, run_tests: bool) -> Path:
    """Run ``otter assign`` on a lab's source into ``result`` (with ``student/`` and ``autograder/``).

    With ``run_tests`` otter also grades the solution with its own tests and raises when it does
    not get full marks.
    """
    from otter.assign import main as otter_assign

    otter_assign(str(solution_notebook(lab)), str(result), no_pdfs=True, no_run_tests=not run_tests)
    return result


def _normalized_notebook(path: Path) -> str:
    """A generated notebook as text, with cell ids that do not change from one run to the next."""
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index}"
    return nbformat.writes(notebook) + "\n"


# What working on a lab leaves next to it (otter's log of checks, caches), never generated.
_NOT_GENERATED = {".ipynb_checkpoints", "__pycache__", ".OTTER_LOG"}


def _tree(folder: Path) -> dict[str, bytes]:
    """The files under ``folder`` by relative path; notebooks normalized, by-products left out."""
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_dir() or _NOT_GENERATED & set(relative.parts):
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
        for lab in labs or lab_names():
            result = run_otter_assign(lab, Path(scratch) / lab, run_tests)
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
    names = list(labs or lab_names())
    if labs is None:
        stale = sorted(path.name for path in project.LABS.iterdir()
                       if path.is_dir() and path.name not in names)
        problems += [f"labs/{name} has no source solutions/{name}/{name}.ipynb" for name in stale]
    with tempfile.TemporaryDirectory(prefix="labs-") as scratch:
        for lab in names:
            expected = _tree(run_otter_assign(lab, Path(scratch) / lab, run_tests=False) / "student")
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


# --------------------------------------------------------------------------------------------
# Tests: otter's OK-format files, read into questions


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


def autograder_questions(lab: str) -> list[Question]:
    """A lab's questions with their public and hidden tests, generated from its source."""
    with tempfile.TemporaryDirectory(prefix="autograder-") as scratch:
        result = run_otter_assign(lab, Path(scratch) / lab, run_tests=False)
        return load_questions(result / "autograder" / "tests")


# --------------------------------------------------------------------------------------------
# The student's kernel, and proxies for the values that live in it

# Defined in the student's kernel after the submission has run. Whatever a submission does to its
# own kernel can only change the data this function sends back, never how the data is judged.
_SERVE = r'''
def __book_grading_serve__(request, reply_path):
    import base64, io, json
    import numpy
    objects = __book_grading_serve__.objects

    def decode(item):
        kind, value = item
        if kind == "ref":
            return objects[value]
        if kind == "value":
            return value
        if kind == "array":
            return numpy.load(io.BytesIO(base64.b64decode(value)), allow_pickle=False)
        if kind == "list":
            return [decode(v) for v in value]
        if kind == "tuple":
            return tuple(decode(v) for v in value)
        if kind == "dict":
            return {decode(k): decode(v) for k, v in value}
        raise ValueError(kind)

    def keep(obj):
        objects.append(obj)
        return ["ref", len(objects) - 1]

    def data(obj):
        if obj is None or isinstance(obj, (bool, int, float, str)):
            return ["value", obj]
        if isinstance(obj, (list, tuple)):
            return ["list" if isinstance(obj, list) else "tuple", [data(v) for v in obj]]
        if isinstance(obj, dict):
            return ["dict", [[data(k), data(v)] for k, v in obj.items()]]
        array = numpy.asarray(obj)
        if array.dtype.kind not in "biufcU":
            raise TypeError(f"a {type(obj).__name__} is not data (numbers, strings, arrays)")
        buffer = io.BytesIO()
        numpy.save(buffer, array, allow_pickle=False)
        return ["array", base64.b64encode(buffer.getvalue()).decode("ascii")]

    op, args = json.loads(request)
    try:
        if op == "globals":
            hidden = {"In", "Out", "get_ipython", "exit", "quit", "open"}
            names = [n for n in list(globals()) if not n.startswith("_") and n not in hidden]
            result = ["value", {n: keep(globals()[n])[1] for n in names}]
        elif op == "getattr":
            result = keep(getattr(objects[args[0]], args[1]))
        elif op == "getitem":
            result = keep(objects[args[0]][decode(args[1])])
        elif op == "call":
            result = keep(objects[args[0]](*decode(args[1]), **decode(args[2])))
        elif op == "iter":
            result = ["value", [keep(v)[1] for v in objects[args[0]]]]
        elif op == "len":
            result = ["value", len(objects[args[0]])]
        elif op == "str":
            result = ["value", str(objects[args[0]])]
        elif op == "data":
            result = data(objects[args[0]])
        else:
            raise ValueError(op)
        reply = {"ok": result}
    except Exception as error:
        reply = {"error": f"{type(error).__name__}: {error}"}
    with open(reply_path, "w") as handle:
        json.dump(reply, handle)

__book_grading_serve__.objects = []
'''


class GradingError(Exception):
    """The student's kernel could not answer: an error there, a dead kernel, or no time left."""


class TimeLimit(GradingError):
    pass


class StudentKernel:
    """A Jupyter kernel that runs one submission, and answers the grader's requests afterwards."""

    def __init__(self, workdir: Path, timeout: float):
        from jupyter_client.manager import start_new_kernel

        env = dict(os.environ, MPLBACKEND="Agg", BOOK_DOWNLOAD="0", PYDEVD_DISABLE_FILE_VALIDATION="1")
        self.manager, self.client = start_new_kernel(startup_timeout=120, kernel_name="python3",
                                                     cwd=str(workdir), env=env)
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.timed_out = False
        self.died = False
        self._reply_dir = Path(tempfile.mkdtemp(prefix="grading-replies-"))

    def execute(self, code: str, silent: bool = False) -> dict:
        """Run code in the kernel; the reply's content (``status``, and ``ename``/``evalue``).

        Waits in short slices so that a kernel that dies, or runs past the deadline, is noticed.
        """
        if self.timed_out or time.monotonic() >= self.deadline:
            self.timed_out = True
            raise TimeLimit(f"the time limit of {self.timeout:g} s was reached")
        if self.died or not self.manager.is_alive():
            self.died = True
            raise GradingError("the notebook's kernel died")
        # stop_on_error=False: otherwise the kernel aborts the request that follows a failing cell.
        msg_id = self.client.execute(code, silent=silent, store_history=not silent, allow_stdin=False,
                                     stop_on_error=False)
        while True:
            self._discard_outputs()
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                self.timed_out = True
                raise TimeLimit(f"the time limit of {self.timeout:g} s was reached")
            try:
                reply = self.client.get_shell_msg(timeout=min(remaining, 0.5))
            except queue.Empty:
                if not self.manager.is_alive():
                    self.died = True
                    raise GradingError("the notebook's kernel died") from None
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"]

    def _discard_outputs(self) -> None:
        """Printed output and plots are not graded; read them off so they do not pile up."""
        while True:
            try:
                self.client.get_iopub_msg(timeout=0)
            except queue.Empty:
                return

    def request(self, op: str, *args: Any) -> Any:
        """Ask the kernel for one operation on its objects; returns the decoded reply."""
        reply_path = self._reply_dir / "reply.json"
        reply_path.unlink(missing_ok=True)
        request = json.dumps([op, list(args)])
        self.execute(f"__book_grading_serve__({request!r}, {str(reply_path)!r})", silent=True)
        try:
            reply = json.loads(reply_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            if not self.manager.is_alive():
                self.died = True
                raise GradingError("the notebook's kernel died") from None
            raise GradingError("the notebook's kernel gave no answer") from None
        if not isinstance(reply, dict) or ("ok" not in reply and "error" not in reply):
            raise GradingError("the notebook's kernel gave a malformed answer")
        if "error" in reply:
            raise GradingError(f"in the notebook: {reply['error']}")
        return reply["ok"]

    def close(self) -> None:
        try:
            self.client.stop_channels()
        finally:
            self.manager.shutdown_kernel(now=True)
            shutil.rmtree(self._reply_dir, ignore_errors=True)


def _decode(item: Any) -> Any:
    """Data sent back by the kernel, rebuilt from JSON and .npy bytes (never unpickled)."""
    if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
        raise GradingError("the notebook's kernel gave a malformed answer")
    kind, value = item
    if kind == "value":
        return value
    if kind == "array":
        return np.load(io.BytesIO(base64.b64decode(value)), allow_pickle=False)
    if kind in ("list", "tuple"):
        items = [_decode(v) for v in value]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {_decode(k): _decode(v) for k, v in value}
    raise GradingError("the notebook's kernel gave a malformed answer")


def _encode(value: Any) -> list:
    """A test's argument for the kernel: a student value by reference, or data."""
    if isinstance(value, RemoteValue):
        return ["ref", value._ref]
    if value is None or isinstance(value, (bool, int, float, str)):
        return ["value", value]
    if isinstance(value, np.generic):
        return ["value", value.item()]
    if isinstance(value, np.ndarray):
        buffer = io.BytesIO()
        np.save(buffer, value, allow_pickle=False)
        return ["array", base64.b64encode(buffer.getvalue()).decode("ascii")]
    if isinstance(value, (list, tuple)):
        return ["list" if isinstance(value, list) else "tuple", [_encode(v) for v in value]]
    if isinstance(value, dict):
        return ["dict", [[_encode(k), _encode(v)] for k, v in value.items()]]
    raise TypeError(f"a test cannot send a {type(value).__name__} to the notebook")


class RemoteValue:
    """A value that lives in the student's kernel.

    Operations on it run there and give new remote values; converting it (``np.asarray``,
    ``float``, ``int``, ``bool``, ``==``) brings back a copy as plain data, and ``str``/``len`` bring
    back a string or an integer. Nothing from the kernel is ever executed here.
    """

    __slots__ = ("_kernel", "_ref")

    def __init__(self, kernel: StudentKernel, ref: int):
        self._kernel, self._ref = kernel, ref

    def _remote(self, op: str, *args: Any) -> "RemoteValue":
        reply = self._kernel.request(op, self._ref, *args)
        if not (isinstance(reply, list) and len(reply) == 2 and reply[0] == "ref" and isinstance(reply[1], int)):
            raise GradingError("the notebook's kernel gave a malformed answer")
        return RemoteValue(self._kernel, reply[1])

    def _data(self) -> Any:
        return _decode(self._kernel.request("data", self._ref))

    def __getattr__(self, name: str) -> "RemoteValue":
        if name.startswith("__"):  # protocols (numpy's __array_interface__, ...) are not forwarded
            raise AttributeError(name)
        return self._remote("getattr", name)

    def __getitem__(self, key: Any) -> "RemoteValue":
        return self._remote("getitem", _encode(key))

    def __call__(self, *args: Any, **kwargs: Any) -> "RemoteValue":
        return self._remote("call", _encode(list(args)), _encode(kwargs))

    def __iter__(self):
        refs = _decode(self._kernel.request("iter", self._ref))
        return iter([RemoteValue(self._kernel, ref) for ref in refs])

    def __len__(self) -> int:
        return int(_decode(self._kernel.request("len", self._ref)))

    def __str__(self) -> str:
        return str(_decode(self._kernel.request("str", self._ref)))

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return np.asarray(self._data(), dtype=dtype)

    def __float__(self) -> float:
        return float(np.asarray(self._data()).item())

    def __int__(self) -> int:
        return int(np.asarray(self._data()).item())

    __index__ = __int__

    def __bool__(self) -> bool:
        return bool(self._data())

    def __eq__(self, other: Any) -> Any:
        return self._data() == other

    def __ne__(self, other: Any) -> Any:
        return self._data() != other

    def __hash__(self) -> int:
        return hash((id(self._kernel), self._ref))

    def __repr__(self) -> str:
        return f"<student value #{self._ref}>"


# --------------------------------------------------------------------------------------------
# Grading


@dataclass
class Result:
    """One submission's grade: points per question, what to tell the student, and any problem."""

    student: str
    scores: dict[str, float]
    possible: dict[str, float]
    feedback: dict[str, list[str]] = field(default_factory=dict)
    hidden_failures: dict[str, list[str]] = field(default_factory=dict)
    cell_errors: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def total(self) -> float:
        return sum(self.scores.values())


class _FirstFailure(doctest.DocTestRunner):
    """A doctest runner that stops at the first failing line and remembers it in a few words."""

    def __init__(self):
        super().__init__(verbose=False, optionflags=doctest.ELLIPSIS | doctest.FAIL_FAST)
        self.failure = ""

    def report_failure(self, out, test, example, got):
        self.failure = f"{example.source.strip()}\nprinted {got.strip()!r}, expected {example.want.strip()!r}"

    def report_unexpected_exception(self, out, test, example, exc_info):
        self.failure = f"{example.source.strip()}\n{exc_info[0].__name__}: {exc_info[1]}".strip()


def _run_case(code: str, env: dict[str, Any], name: str) -> tuple[bool, str]:
    """Run one case (otter's OK format: doctest lines) in a copy of ``env``; (passed, why not)."""
    examples = doctest.DocTestParser().get_examples(code, name)
    test = doctest.DocTest(examples, dict(env), name, None, 0, code)
    runner = _FirstFailure()
    runner.run(test, out=lambda text: None, clear_globs=False)
    return runner.failures == 0, runner.failure


def _trusted_names() -> dict[str, Any]:
    """What the tests see of the grader: its own builtins and NumPy (never the student's)."""
    return {"__builtins__": builtins, "np": np, "numpy": np}


def _summary(text: str, limit: int = 1500) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "\n..."


def _zero(student: str, questions: Sequence[Question], note: str) -> Result:
    possible = {q.name: q.points for q in questions}
    return Result(student, {name: 0.0 for name in possible}, possible, note=note)


def read_submission(path: Path) -> nbformat.NotebookNode:
    """A submitted notebook, or ``ValueError`` saying why it is not a valid one."""
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    except Exception as error:  # JSON errors, schema errors, unreadable files
        raise ValueError(f"not a valid notebook ({type(error).__name__}: {_summary(str(error), 200)})") from None
    return notebook


def grade_submission(path: Path, questions: Sequence[Question], *, lab_dir: Path | None = None,
                     timeout: float = DEFAULT_TIMEOUT, student: str | None = None) -> Result:
    """Run one submitted notebook in its own kernel, then its lab's tests in this process."""
    path = Path(path)
    student = student or path.stem
    try:
        notebook = read_submission(path)
    except ValueError as error:
        return _zero(student, questions, str(error))

    with tempfile.TemporaryDirectory(prefix="submission-") as workdir:
        if lab_dir is not None:  # the data files a lab's notebook reads sit next to it
            for item in Path(lab_dir).iterdir():
                if item.is_file() and item.suffix != ".ipynb" and item.name not in _NOT_GENERATED:
                    shutil.copy(item, workdir)
        try:
            kernel = StudentKernel(Path(workdir), timeout)
        except Exception as error:
            return _zero(student, questions, f"the notebook's kernel did not start ({error})")
        try:
            return _grade_in_kernel(kernel, notebook, questions, student)
        finally:
            kernel.close()


def _test_question(kernel: StudentKernel, question: Question, result: Result) -> None:
    """Run a question's public and hidden tests here, on the kernel's values as they are now."""
    env = _trusted_names()
    try:
        kernel.execute(_SERVE, silent=True)  # (re)defined each time: the notebook may have changed it
        for name, ref in _decode(kernel.request("globals")).items():
            # A student's `float` or `len` must not stand in for the builtin the tests call.
            if name not in env and not hasattr(builtins, name):
                env[name] = RemoteValue(kernel, ref)
    except GradingError as error:
        result.scores[question.name] = 0.0
        result.feedback[question.name] = [f"Your notebook could not be tested: {error}."]
        return
    messages = []
    for number, case in enumerate(question.cases, start=1):
        passed, report = _run_case(case.code, env, f"{question.name} case {number}")
        if passed:
            continue
        if case.hidden:
            messages.append("A hidden test failed.")
            result.hidden_failures.setdefault(question.name, []).append(report)
        else:
            messages.append(f'A public test failed (run `grader.check("{question.name}")` in the lab):\n'
                            + _summary(report))
    result.scores[question.name] = 0.0 if messages else question.points
    result.feedback[question.name] = messages or ["All tests passed."]


def _grade_in_kernel(kernel: StudentKernel, notebook, questions: Sequence[Question], student: str) -> Result:
    """Run the cells in order; test each question where its ``grader.check`` cell stands.

    Tests thus see the notebook as it was when the student checked the question, as otter does;
    a question whose check cell is gone is tested at the end.
    """
    result = Result(student, {}, {q.name: q.points for q in questions})
    untested = {q.name: q for q in questions}
    where = "at the end"
    for index, cell in enumerate(notebook.cells):
        source = cell.source.strip()
        if cell.cell_type != "code":
            continue
        where = f"at cell {index}"
        check = _CHECK_CELL.fullmatch(source)
        if check and check.group(1) in untested:
            _test_question(kernel, untested.pop(check.group(1)), result)
        elif not _FEEDBACK_CELL.fullmatch(source):
            try:
                content = kernel.execute(cell.source)
            except GradingError:  # out of time, or the kernel died: see below
                break
            if content.get("status") != "ok":
                evalue = _summary(str(content.get("evalue")), 300)
                result.cell_errors.append(f"cell {index}: {content.get('ename')}: {evalue}")
        if kernel.timed_out or kernel.died:
            break
    else:
        where = "at the end"
        for question in list(untested.values()):
            _test_question(kernel, untested.pop(question.name), result)
    # A submission that hangs or kills its kernel is not graded further: zero, and a note why.
    if kernel.timed_out:
        return _zero(student, questions, f"ran past the time limit of {kernel.timeout:g} s ({where})")
    if kernel.died:
        return _zero(student, questions, f"its kernel died ({where})")
    result.scores = {q.name: result.scores[q.name] for q in questions}
    result.feedback = {q.name: result.feedback[q.name] for q in questions}
    return result


def _points(value: float) -> str:
    return f"{value:g}"


def write_feedback(result: Result, lab: str, folder: Path) -> Path:
    """A student's feedback as markdown: score, each question's outcome, problems met."""
    lines = [f"# Lab `{lab}`: feedback for {result.student}", "",
             f"**Score: {_points(result.total)} / {_points(sum(result.possible.values()))}**", ""]
    if result.note:
        lines += [f"**Problem:** {result.note}.", ""]
    for name, possible in result.possible.items():
        lines += [f"## {name}: {_points(result.scores.get(name, 0.0))} / {_points(possible)}", ""]
        for message in result.feedback.get(name, ["Not graded."]):
            if "\n" in message:
                head, body = message.split("\n", 1)
                lines += [head, "", "```", body, "```", ""]
            else:
                lines += [message, ""]
    if result.cell_errors:
        lines += ["## Errors while running your notebook", ""]
        lines += [f"- {error}" for error in result.cell_errors] + [""]
    path = folder / f"{result.student}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_gradebook(results: Iterable[Result], questions: Sequence[Question], path: Path) -> Path:
    """``student, q1, ..., qn, total, note``: one row per submission, points as plain numbers."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", *(q.name for q in questions), "total", "note"])
        for result in results:
            writer.writerow([result.student, *(_points(result.scores.get(q.name, 0.0)) for q in questions),
                             _points(result.total), result.note])
    return path


def _lab_of(paths: Sequence[Path]) -> str:
    """The lab the submissions are for, from the name otter writes in each notebook's metadata."""
    named = set()
    for path in paths:
        try:
            named.add(read_submission(path).metadata["otter"]["assignment_name"])
        except (ValueError, KeyError, TypeError):
            continue
    if len(named) != 1:
        found = ", ".join(sorted(map(str, named))) or "none"
        raise SystemExit(f"cannot tell which lab these submissions are for (found: {found}); pass --lab.")
    return named.pop()


def grade_folder(submissions: Path, output: Path, *, timeout: float = DEFAULT_TIMEOUT,
                 lab: str | None = None, questions: Sequence[Question] | None = None,
                 log=print) -> list[Result]:
    """Grade every ``*.ipynb`` in ``submissions``; write ``gradebook.csv`` and ``feedback/<student>.md``.

    The student's name is the file's name without ``.ipynb``. One submission failing (invalid file,
    error, endless loop) gives that student zero for what it affects and never stops the batch.
    """
    paths = sorted(Path(submissions).glob("*.ipynb"))
    if not paths:
        raise SystemExit(f"no .ipynb files in {submissions}")
    lab = lab or _lab_of(paths)
    if lab not in lab_names():
        raise SystemExit(f"unknown lab {lab!r}; the labs are: {', '.join(lab_names())}")
    if questions is None:
        log(f"reading the tests of {lab} from {solution_notebook(lab).relative_to(project.ROOT)}")
        questions = autograder_questions(lab)
    output = Path(output)
    (output / "feedback").mkdir(parents=True, exist_ok=True)
    results = []
    for path in paths:
        start = time.perf_counter()
        result = grade_submission(path, questions, lab_dir=project.LABS / lab, timeout=timeout)
        results.append(result)
        write_feedback(result, lab, output / "feedback")
        note = f"  ({result.note})" if result.note else ""
        log(f"{result.student:<30} {_points(result.total):>6} / {_points(sum(result.possible.values()))}"
            f"  {time.perf_counter() - start:5.1f} s{note}")
    gradebook = write_gradebook(results, questions, output / "gradebook.csv")
    log(f"wrote {gradebook} and {len(results)} feedback file(s) in {output / 'feedback'}")
    return results


# --------------------------------------------------------------------------------------------
# Checking that a lab grades as intended


def answered_notebook(lab: str) -> nbformat.NotebookNode:
    """The student version with each answer cell filled in from the solution, as a student would."""
    solution = nbformat.read(solution_notebook(lab), as_version=4)
    answers, inside = [], False
    for cell in solution.cells:
        if cell.cell_type == "raw" and re.match(r"#\s*BEGIN SOLUTION", cell.source, re.IGNORECASE):
            inside = True
        elif cell.cell_type == "raw" and re.match(r"#\s*END SOLUTION", cell.source, re.IGNORECASE):
            inside = False
        elif inside and cell.cell_type == "code":
            lines = [re.sub(r"\s*# SOLUTION\s*$", "", line) for line in cell.source.splitlines()
                     if line.strip() not in ("# BEGIN SOLUTION", "# END SOLUTION")]
            answers.append("\n".join(lines))
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
            parts.append(f"{name}: {_points(result.scores[name])}/{_points(possible)}: " + " | ".join(reasons))
    return "; ".join(parts)


def verify_lab(lab: str, questions: Sequence[Question] | None = None, timeout: float = 300.0) -> list[str]:
    """Grade the answered and the untouched student version of a lab: they must get full marks, and 0."""
    questions = questions or autograder_questions(lab)
    problems = []
    with tempfile.TemporaryDirectory(prefix="verify-") as scratch:
        answered = Path(scratch) / "answered.ipynb"
        nbformat.write(answered_notebook(lab), answered)
        untouched = project.LABS / lab / f"{lab}.ipynb"
        for path, wanted in ((answered, "full"), (untouched, "zero")):
            result = grade_submission(path, questions, lab_dir=project.LABS / lab, timeout=timeout)
            possible = sum(result.possible.values())
            if result.total != (possible if wanted == "full" else 0.0):
                problems.append(f"{lab}: the {path.stem} student version scores {_points(result.total)}/"
                                f"{_points(possible)} ({_shortfall(result, wanted)})")
    return problems
