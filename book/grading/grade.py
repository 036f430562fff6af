"""Batch grading: each submission in its own kernel, its feedback, and the gradebook.

Otter runs the tests in the same Python process as the student's code, so a submission can
redefine ``grader`` or patch ``np.testing.assert_allclose`` and pass; here the tests run in the
grader's process, on values fetched from the kernel (see ``kernel``), and the kernel runs in a
sandbox that sees neither the solutions, nor the other submissions, nor the grader, and is
limited in memory, processes, CPU time and what it writes. Submissions are graded several at a
time (``jobs``), each in its own sandbox.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import csv
import importlib
import os
import re
import shutil
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import nbformat
import numpy as np

from .. import project
from ..checker import STDOUT_LOCK, describe_failure, run_case
from .assign import (LABS_ON_THE_NETWORK, NOT_GENERATED, autograder_questions, lab_names, solution_answers,
                     solution_notebook)
from .kernel import SERVE_SOURCE, GradingError, Limits, RemoteValue, StudentKernel, decode_reply, sandbox_problem
from .questions import Question
from .rules import NumpyOnly, Violation, answer_definitions


DEFAULT_TIMEOUT = 120.0
"""Seconds a submission may spend running its cells and its tests (kernel start-up excluded)."""

# Cells the labs hold for students' own feedback. Grading skips the checker's set-up and the
# check-all cell; where a `grader.check("q1")` cell stands, grading runs that question's tests instead.
_FEEDBACK_CELL = re.compile(
    r"""\#[^\n]*\n\s*from\ book\.checker\ import\ Checker\s*\n\s*grader\ =\ Checker\(\s*"[\w.-]+"\s*\)
      |grader\.check_all\(\s*\)""",
    re.VERBOSE,
)
_CHECK_CELL = re.compile(r"""grader\.check\(\s*["']([\w.-]+)["']\s*\)""")


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
    seconds: float = 0.0  # how long grading it took, kernel start-up included

    @property
    def total(self) -> float:
        return sum(self.scores.values())


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
                     timeout: float = DEFAULT_TIMEOUT, student: str | None = None, sandbox: bool = True,
                     network: bool = False, limits: Limits = Limits(), threads: int | None = None) -> Result:
    """Run one submitted notebook in its own kernel (in a sandbox unless told otherwise), then its
    lab's tests in this process."""
    path = Path(path)
    student = student or path.stem
    try:
        notebook = read_submission(path)
    except ValueError as error:
        return _zero(student, questions, str(error))

    with tempfile.TemporaryDirectory(prefix="submission-") as workdir:
        if lab_dir is not None:  # the data files a lab's notebook reads sit next to it
            for item in Path(lab_dir).iterdir():
                if item.is_file() and item.suffix != ".ipynb" and item.name not in NOT_GENERATED:
                    shutil.copy(item, workdir)
        try:
            kernel = StudentKernel(Path(workdir), timeout, sandbox=sandbox, network=network, limits=limits,
                                   threads=threads)
        except Exception as error:
            return _zero(student, questions, f"the notebook's kernel did not start ({error})")
        # Rules on how the lab is answered are read from the notebook's text, never from the kernel.
        rule = NumpyOnly.of_lab(Path(lab_dir).name) if lab_dir is not None else None
        broken = rule.violations(notebook) if rule else {}
        reference: dict[str, list[str]] = {}
        for question, code in solution_answers(Path(lab_dir).name) if lab_dir is not None else []:
            reference.setdefault(question, []).append(code)
        try:
            return _grade_in_kernel(kernel, notebook, questions, student, broken, reference)
        finally:
            kernel.close()


def _test_question(kernel: StudentKernel, question: Question, result: Result,
                   broken: dict[str, Violation], withhold: bool) -> None:
    """Run a question's public and hidden tests here, on the kernel's values as they are now;
    a question whose answer breaks the lab's rules (``broken``) scores 0 untested. With
    ``withhold``, a failure's values stay out of the feedback (see ``_grade_in_kernel``)."""
    if question.name in broken:
        result.scores[question.name] = 0.0
        result.feedback[question.name] = [broken[question.name].message() + "."]
        return
    env = _trusted_names()
    try:
        kernel.execute(SERVE_SOURCE, silent=True)  # (re)defined each time: the notebook may have changed it
        names = decode_reply(kernel.request("globals"))
        if not (isinstance(names, dict) and all(isinstance(k, str) and type(v) is int for k, v in names.items())):
            raise GradingError("the notebook's kernel gave a malformed answer")
        for name, ref in names.items():
            # A student's `float` or `len` must not stand in for the builtin the tests call.
            if name not in env and not hasattr(builtins, name):
                env[name] = RemoteValue(kernel, ref)
    except Exception as error:  # GradingError, or a reply that is not what the server code sends
        result.scores[question.name] = 0.0
        reason = error if isinstance(error, GradingError) else f"grader error ({type(error).__name__})"
        result.feedback[question.name] = [f"Your notebook could not be tested: {reason}."]
        return
    messages, passed = [], []
    for number, case in enumerate(question.cases, start=1):
        failure = run_case(case.code, env, f"{question.name} case {number}")
        passed.append(failure is None)
        if failure is None:
            continue
        if case.hidden:
            messages.append("A hidden test failed.")
            result.hidden_failures.setdefault(question.name, []).append(failure.report())
        else:
            messages.append(f"A public test failed at `{failure.source.strip()}`; {_WITHHELD} (run "
                            f"`grader.check(\"{question.name}\")` in your notebook to see them)." if withhold else
                            "A public test failed: " + describe_failure(question.name, case.code, failure) + "\n"
                            + _summary(failure.report()))
    result.scores[question.name] = question.score(passed)
    result.feedback[question.name] = messages or ["All tests passed."]


_WITHHELD = "the values are withheld once hidden tests have run"


def _cell_error(index: int, content: dict, withhold: bool) -> str:
    """A cell's error for the feedback: its type (a builtin's name, or "an error": a class name is
    the notebook's to choose) and, until hidden tests have run, its message."""
    ename = str(content.get("ename"))
    ename = ename if isinstance(getattr(builtins, ename, None), type) else "an error"
    if withhold:
        return f"cell {index}: {ename} (the message is withheld once hidden tests have run)"
    return f"cell {index}: {ename}: {_summary(str(content.get('evalue')), 300)}"


@contextlib.contextmanager
def _standing_in(kernel: StudentKernel, codes: list[str]):
    """Run ``codes`` (reference answers) in the kernel, and put back afterwards every name they
    bound as the notebook had it."""
    names = sorted({name for code in codes for name in answer_definitions(code)})
    if not names:
        yield
        return
    kernel.execute(f"__book_grading_saved__ = {{n: globals()[n] for n in {names!r} if n in globals()}}", silent=True)
    try:
        for code in codes:
            kernel.execute(code, silent=True)  # an error leaves the notebook's own answer in place
        yield
    finally:
        kernel.execute(f"for __book_grading_name__ in {names!r}:\n    globals().pop(__book_grading_name__, None)\n"
                       "globals().update(__book_grading_saved__)", silent=True)


def _grade_in_kernel(kernel: StudentKernel, notebook, questions: Sequence[Question], student: str,
                     broken: dict[str, Violation], reference: dict[str, list[str]]) -> Result:
    """Run the cells in order; test each question where its ``grader.check`` cell stands.

    Tests thus see the notebook as it was when the student checked the question, as otter does;
    a question whose check cell is gone is tested at the end. ``reference`` holds the solution's
    answer cells by question (see ``test`` below); ``broken``, the questions that break the lab's
    rules.
    """
    result = Result(student, {}, {q.name: q.points for q in questions})
    untested = {q.name: q for q in questions}
    where = "at the end"
    # Once hidden tests have called the student's functions, the notebook may hold their inputs and
    # put them in what it says next (a value it returns, an error it raises): from then on the
    # feedback gives no value or message of the notebook's, only where something failed.
    hidden_ran = False

    def test(question: Question) -> None:
        nonlocal hidden_ran
        # Earlier answers that lost points stand in by the reference ones while this question is
        # tested, so that one mistake is not paid again by every question that calls it.
        wrong = [code for name, codes in reference.items()
                 if name in result.scores and result.scores[name] < result.possible[name] for code in codes]
        with _standing_in(kernel, wrong):
            _test_question(kernel, question, result, broken, withhold=hidden_ran)
        hidden_ran = hidden_ran or any(case.hidden for case in question.cases)
    for index, cell in enumerate(notebook.cells):
        source = cell.source.strip()
        if cell.cell_type != "code":
            continue
        where = f"at cell {index}"
        check = _CHECK_CELL.fullmatch(source)
        if check and check.group(1) in untested:
            test(untested.pop(check.group(1)))
        elif not _FEEDBACK_CELL.fullmatch(source):
            try:
                content = kernel.execute(cell.source)
            except GradingError:  # out of time, or the kernel died: see below
                break
            if content.get("status") != "ok":
                result.cell_errors.append(_cell_error(index, content, withhold=hidden_ran))
        if kernel.timed_out or kernel.died:
            break
    else:
        where = "at the end"
        for question in list(untested.values()):
            test(untested.pop(question.name))
    # A submission that hangs or kills its kernel is not graded further: zero, and a note why.
    if kernel.timed_out:
        return _zero(student, questions, f"ran past the time limit of {kernel.timeout:g} s ({where})")
    if kernel.died:
        return _zero(student, questions, f"its kernel died ({where})")
    result.scores = {q.name: result.scores[q.name] for q in questions}
    result.feedback = {q.name: result.feedback[q.name] for q in questions}
    return result


def format_points(value: float) -> str:
    return f"{value:g}"


def write_feedback(result: Result, lab: str, folder: Path) -> Path:
    """A student's feedback as markdown: score, each question's outcome, problems met."""
    lines = [f"# Lab `{lab}`: feedback for {result.student}", "",
             f"**Score: {format_points(result.total)} / {format_points(sum(result.possible.values()))}**", ""]
    if result.note:
        lines += [f"**Problem:** {result.note}.", ""]
    for name, possible in result.possible.items():
        lines += [f"## {name}: {format_points(result.scores.get(name, 0.0))} / {format_points(possible)}", ""]
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


def _spreadsheet_safe(cell: str) -> str:
    """A text cell that a spreadsheet will show as text, never run as a formula."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def write_gradebook(results: Iterable[Result], questions: Sequence[Question], path: Path) -> Path:
    """``student, q1, ..., qn, total, note``: one row per submission, points as plain numbers.

    The file is replaced at once (written aside, then renamed), so a reader or a crash never sees
    half of it; names and notes that a spreadsheet would take for formulas are quoted.
    """
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", *(q.name for q in questions), "total", "note"])
        for result in results:
            writer.writerow([_spreadsheet_safe(result.student),
                             *(format_points(result.scores.get(q.name, 0.0)) for q in questions),
                             format_points(result.total), _spreadsheet_safe(result.note)])
    os.replace(partial, path)
    return path


def _lab_of(paths: Sequence[Path], log=print) -> str:
    """The lab the submissions are for, from the name otter writes in each notebook's metadata.

    Most submissions must agree; one that names another lab (a student's edit or a wrong file)
    does not decide for the batch, and is graded against the batch's lab like the others.
    """
    named: dict[str, int] = {}
    for path in paths:
        try:
            name = read_submission(path).metadata["otter"]["assignment_name"]
        except (ValueError, KeyError, TypeError):
            continue
        if isinstance(name, str):
            named[name] = named.get(name, 0) + 1
    ranked = sorted(named.items(), key=lambda item: -item[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] <= 2 * ranked[1][1]):
        found = ", ".join(f"{name} ({count})" for name, count in ranked) or "none"
        raise SystemExit(f"cannot tell which lab these submissions are for (found: {found}); pass --lab.")
    if len(ranked) > 1:
        others = ", ".join(f"{name} ({count})" for name, count in ranked[1:])
        log(f"most submissions are for {ranked[0][0]}; also named: {others}")
    return ranked[0][0]


def import_what_the_tests_import(questions: Sequence[Question]) -> None:
    """Import, before any student's code runs, every module the tests import: the grader then
    holds them already loaded from the environment, whatever appears later on disk."""
    for question in questions:
        for case in question.cases:
            source = "\n".join(line[4:] for line in case.code.splitlines() if line.lstrip()[:4] in (">>> ", "... "))
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                         else [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level
                         else [])
                for name in names:
                    try:
                        importlib.import_module(name)
                    except ImportError:
                        pass  # the test will say so when it runs


def default_jobs() -> int:
    """Submissions graded at once unless told: one per core."""
    return os.cpu_count() or 1


def grade_folder(submissions: Path, output: Path, *, timeout: float = DEFAULT_TIMEOUT,
                 lab: str | None = None, questions: Sequence[Question] | None = None,
                 log=print, sandbox: bool = True, jobs: int | None = None, limits: Limits = Limits(),
                 progress: bool = False) -> list[Result]:
    """Grade every ``*.ipynb`` in ``submissions``; write ``gradebook.csv`` and ``feedback/<student>.md``.

    The student's name is the file's name without ``.ipynb``. One submission failing (invalid file,
    error, endless loop) gives that student zero for what it affects and never stops the batch.
    ``jobs`` submissions are graded at once (default: one per core), each kernel using its share
    of the cores; ``progress`` shows a progress bar.
    """
    paths = sorted(Path(submissions).glob("*.ipynb"))
    if not paths:
        raise SystemExit(f"no .ipynb files in {submissions}")
    jobs = jobs or default_jobs()
    if jobs < 1:
        raise SystemExit(f"--jobs must be at least 1 (got {jobs})")
    problem = sandbox_problem() if sandbox else None
    if problem:
        raise SystemExit(f"cannot grade in a sandbox: {problem}. Students' code would run with your rights "
                         "and could read the solutions and change other grades; grade elsewhere, or pass "
                         "--unsafe-no-sandbox if you trust every submission.")
    lab = lab or _lab_of(paths, log)
    if lab not in lab_names():
        raise SystemExit(f"unknown lab {lab!r}; the labs are: {', '.join(lab_names())}")
    if questions is None:
        log(f"reading the tests of {lab} from {solution_notebook(lab).relative_to(project.ROOT)}")
        questions = autograder_questions(lab)
    import_what_the_tests_import(questions)
    output = Path(output)
    (output / "feedback").mkdir(parents=True, exist_ok=True)
    threads = max(1, (os.cpu_count() or 1) // jobs)

    def grade_one(path: Path) -> Result:
        start = time.perf_counter()
        try:
            result = grade_submission(path, questions, lab_dir=project.LABS / lab, timeout=timeout, sandbox=sandbox,
                                      network=lab in LABS_ON_THE_NETWORK, limits=limits, threads=threads)
        except Exception as error:  # a submission may break the grader in ways not foreseen: zero, and go on
            result = _zero(path.stem, questions, f"grader error ({type(error).__name__}: {_summary(str(error), 200)})")
        result.seconds = time.perf_counter() - start
        return result

    from tqdm import tqdm

    results: dict[Path, Result] = {}
    gradebook = output / "gradebook.csv"
    started = time.perf_counter()
    waiting = iter(paths)
    with ThreadPoolExecutor(max_workers=jobs) as pool, \
            tqdm(total=len(paths), unit="submission", disable=not progress, dynamic_ncols=True) as bar:
        running: dict[Future, Path] = {}

        def start_next() -> None:  # a submission starts when one is done with: never more than `jobs` kernels
            path = next(waiting, None)
            if path is not None:
                running[pool.submit(grade_one, path)] = path

        for _ in range(jobs):
            start_next()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                path = running.pop(future)
                result = future.result()
                results[path] = result
                write_feedback(result, lab, output / "feedback")
                # Written after every submission: a batch stopped half-way keeps every grade given so far.
                write_gradebook([results[p] for p in paths if p in results], questions, gradebook)
                note = f"  ({result.note})" if result.note else ""
                line = (f"{result.student:<30} {format_points(result.total):>6} / "
                        f"{format_points(sum(result.possible.values()))}  {result.seconds:5.1f} s{note}")
                with STDOUT_LOCK:
                    bar.write(line) if progress else log(line)
                bar.update()
                start_next()
    minutes = (time.perf_counter() - started) / 60
    log(f"wrote {gradebook} and {len(results)} feedback file(s) in {output / 'feedback'} "
        f"({len(results) / minutes:.0f} submissions per minute, {jobs} at a time)")
    return [results[path] for path in paths]
