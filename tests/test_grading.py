"""Graded labs: the student versions stay in sync with their sources, and grading cannot be fooled.

The robustness tests grade one batch of perceptron-lab submissions made here from the student
version and the solution: complete (with and without its check cells), untouched, one wrong
answer, several kinds of tampering with the checker, answers equal to everything, an endless loop,
a kernel that kills itself, and files that are not notebooks.
"""

import csv
import re
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pytest

from book import cli, grading, project

# otter (run in this process to generate tests) uses a deprecated traitlets idiom.
pytestmark = pytest.mark.filterwarnings("ignore:Traits should be given as instances:DeprecationWarning")

LAB = "perceptron"
TIMEOUT = 25  # seconds per submission; the complete perceptron lab runs in about 2
FULL_MARKS = 10
Q5_POINTS = 2


# --------------------------------------------------------------------------------------------
# The sources and the student versions


def test_every_lab_has_a_student_version():
    names = grading.lab_names()
    assert LAB in names
    for name in names:
        assert (project.LABS / name / f"{name}.ipynb").is_file(), f"run `python -m book labs {name}`"


@pytest.mark.parametrize("lab", grading.lab_names())
def test_lab_sources_follow_the_conventions(lab):
    """The conventions of solutions/README.md that grading relies on."""
    notebook = nbformat.read(grading.solution_notebook(lab), as_version=4)
    first = notebook.cells[0]
    assert first.cell_type == "raw" and first.source.startswith("# ASSIGNMENT CONFIG")
    config = first.source
    assert re.search(rf"^name:\s*{lab}\s*$", config, re.MULTILINE), "the assignment name is the folder name"
    assert re.search(r"^\s+files:\s*true\s*$", config, re.MULTILINE), "tests must be written as files"
    assert re.search(r"^export_cell:\s*false\s*$", config, re.MULTILINE)
    questions, hidden_tests = [], []
    for cell in notebook.cells:
        if cell.cell_type == "raw" and cell.source.startswith("# BEGIN QUESTION"):
            questions.append(cell.source)
            hidden_tests.append(0)
        elif cell.cell_type == "code" and re.search(r"^hidden:\s*true\s*$", cell.source, re.MULTILINE):
            hidden_tests[-1] += 1
    assert questions, "a lab has at least one question"
    for index, (question, hidden) in enumerate(zip(questions, hidden_tests), start=1):
        assert re.search(rf"^name:\s*q{index}\s*$", question, re.MULTILINE), f"questions are q1, q2, ... ({question!r})"
        assert re.search(r"^all_or_nothing:\s*true\s*$", question, re.MULTILINE), f"q{index}: all_or_nothing: true"
        assert hidden >= 1, f"q{index} has no hidden test"


@pytest.mark.parametrize("lab", grading.lab_names())
def test_student_version_holds_no_solution_and_no_hidden_test(lab):
    folder = project.LABS / lab
    text = (folder / f"{lab}.ipynb").read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "# SOLUTION" not in text
    tests = {path.stem: path.read_text(encoding="utf-8") for path in (folder / "tests").glob("*.py")}
    assert tests, "the public tests are copied next to the student notebook"
    assert all("'hidden': True" not in source for source in tests.values())


def test_labs_are_in_sync_with_their_sources():
    assert grading.check_labs() == [], "run `python -m book labs`"


def test_drift_is_reported(tmp_path, monkeypatch, capsys):
    labs = tmp_path / "labs"
    shutil.copytree(project.LABS / LAB, labs / LAB)
    monkeypatch.setattr(project, "LABS", labs)
    assert grading.check_labs([LAB]) == []
    notebook = labs / LAB / f"{LAB}.ipynb"
    notebook.write_text(notebook.read_text(encoding="utf-8").replace("Question 1", "Question one"), encoding="utf-8")
    (labs / LAB / "tests" / "q1.py").unlink()
    assert cli.main(["labs", "--check", LAB]) == 1
    report = capsys.readouterr().out
    assert f"labs/{LAB}/{LAB}.ipynb differs" in report and f"labs/{LAB}/tests/q1.py is missing" in report


# --------------------------------------------------------------------------------------------
# Grading: one batch of submissions, each made to test one thing


def with_cell(notebook, source: str, position: int | None = None):
    notebook = nbformat.from_dict(notebook)  # a copy
    cell = nbformat.v4.new_code_cell(source)
    notebook.cells.insert(len(notebook.cells) if position is None else position, cell)
    return notebook


def without_check_cells(notebook):
    """The student deleted every `grader.check` cell: questions are then tested at the end."""
    notebook = nbformat.from_dict(notebook)
    notebook.cells = [cell for cell in notebook.cells if not cell.source.startswith("grader.check(")]
    return notebook


def wrong_q5(notebook):
    """q5 answered wrongly (the output layer applies OR instead of AND); q1-q4 right."""
    notebook = nbformat.from_dict(notebook)
    (cell,) = [c for c in notebook.cells if "def xor_network" in c.source]
    cell.source = cell.source.replace("return predict(hidden, w_and, b_and)", "return predict(hidden, w_or, b_or)")
    return notebook


REDEFINE_GRADER = '''
class Grader:
    def check(self, *args, **kwargs):
        return True
    def check_all(self, *args, **kwargs):
        return True
grader = Grader()
'''

PATCH_OTTER = '''
import otter
import otter.execute
import otter.test_files

class Notebook:
    def __init__(self, *args, **kwargs):
        pass
    def check(self, *args, **kwargs):
        return True
    def check_all(self, *args, **kwargs):
        return True

otter.Notebook = Notebook
grader = otter.Notebook("perceptron.ipynb")
otter.execute.Checker.check = classmethod(lambda cls, *args, **kwargs: None)
otter.test_files.OKTestFile.run = lambda self, *args, **kwargs: None
'''

PATCH_NUMPY = '''
import builtins
import doctest
import numpy
import numpy as np

np.testing.assert_allclose = lambda *args, **kwargs: None
np.testing.assert_array_equal = lambda *args, **kwargs: None
numpy.allclose = lambda *args, **kwargs: True
numpy.array_equal = lambda *args, **kwargs: True
doctest.DocTestRunner.run = lambda self, *args, **kwargs: doctest.TestResults(0, 0)
builtins.AssertionError = type("Silent", (Exception,), {})
'''

ALWAYS_EQUAL = '''
class AlwaysEqual:
    """Equal to everything, with any shape and any dtype one asks for."""
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    def __getattr__(self, name):
        return self
    def __call__(self, *args, **kwargs):
        return self
    def __iter__(self):
        return iter([self, self, self])
    def __len__(self):
        return 50
    def __float__(self):
        return 0.0
    def __contains__(self, item):
        return True

predict = update = train = xor_network = lambda *args, **kwargs: AlwaysEqual()
w_xor = b_xor = xor_errors = AlwaysEqual()
'''


FIFO_REPLY = '''
import builtins, os
_real_open = builtins.open

def _fifo_instead(path, mode="r", *args, **kwargs):
    """Where the grader expects an answer file, leave a FIFO: reading it would wait for ever."""
    if str(path).endswith("reply.json") and "w" in mode:
        if os.path.lexists(path):
            os.remove(path)
        os.mkfifo(path)
        return _real_open(os.devnull, mode, *args, **kwargs)
    return _real_open(path, mode, *args, **kwargs)

builtins.open = open = _fifo_instead  # IPython puts its own `open` in the notebook's namespace
'''


# Attacks on the machine rather than on the tests: each must fail inside the sandbox.
READS_SOLUTION = f'''
import json, pathlib
_solution = pathlib.Path({str(project.SOLUTIONS / LAB / f"{LAB}.ipynb")!r})
if _solution.exists():  # run the reference answers in place of one's own
    for _cell in json.loads(_solution.read_text())["cells"]:
        _source = "".join(_cell["source"])
        if _cell["cell_type"] == "code" and "TEST CONFIG" not in _source:
            try:
                exec(_source, globals())
            except Exception:
                pass
'''

OUTLIVES_ITS_KERNEL = '''
import subprocess, sys
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(4242)"], start_new_session=True)
'''

MARKER = "grader_hijack_marker.py"
WRITES_INTO_THE_GRADER = f'''
import os
try:  # the grader's working folder comes first on its sys.path: a module there replaces a real one
    with open(f"/proc/{{os.getppid()}}/cwd/{MARKER}", "w") as _handle:
        _handle.write("raise SystemExit('hijacked')")
except OSError:
    pass
'''


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade the whole batch once with the command line; the gradebook rows and the timings."""
    submissions = tmp_path_factory.mktemp("submissions")
    output = tmp_path_factory.mktemp("graded")
    complete = grading.answered_notebook(LAB)
    student = nbformat.read(project.LABS / LAB / f"{LAB}.ipynb", as_version=4)
    batch = {
        "complete": complete,
        "untouched": student,
        "wrong_q5": wrong_q5(complete),
        "redefines_grader": with_cell(wrong_q5(complete), REDEFINE_GRADER, position=1),
        "patches_otter": with_cell(wrong_q5(complete), PATCH_OTTER, position=1),
        "patches_numpy": with_cell(wrong_q5(complete), PATCH_NUMPY, position=1),
        "always_equal": with_cell(with_cell(student, ALWAYS_EQUAL), PATCH_NUMPY),
        "endless_loop": with_cell(complete, "while True:\n    pass", position=5),
        "kills_its_kernel": with_cell(complete, "import os\nos._exit(1)"),
        "no_check_cells": without_check_cells(complete),
        "fifo_reply": with_cell(complete, FIFO_REPLY, position=1),
        "reads_the_solution": with_cell(without_check_cells(student), READS_SOLUTION),
        "outlives_its_kernel": with_cell(complete, OUTLIVES_ITS_KERNEL, position=1),
        "writes_into_the_grader": with_cell(complete, WRITES_INTO_THE_GRADER, position=1),
    }
    for name, notebook in batch.items():
        nbformat.write(notebook, submissions / f"{name}.ipynb")
    (submissions / "not_a_notebook.ipynb").write_text("{ this is not JSON", encoding="utf-8")
    (submissions / "wrong_schema.ipynb").write_text('{"cells": 3, "nbformat": 4}', encoding="utf-8")

    start = time.perf_counter()
    assert cli.main(["grade", str(submissions), "--output", str(output), "--timeout", str(TIMEOUT)]) == 0
    seconds = time.perf_counter() - start
    with open(output / "gradebook.csv", newline="", encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    return rows, output, seconds


def total(rows, student):
    return float(rows[student]["total"])


def test_gradebook_has_a_row_per_submission_and_a_column_per_question(graded):
    rows, output, _ = graded
    assert len(rows) == 16
    header = (output / "gradebook.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "student,q1,q2,q3,q4,q5,total,note"
    for row in rows.values():
        points = sum(float(row[f"q{i}"]) for i in range(1, 6))
        assert points == float(row["total"])
    assert {path.stem for path in (output / "feedback").glob("*.md")} == set(rows)


def test_the_solution_scores_full_marks(graded):
    rows, output, _ = graded
    assert total(rows, "complete") == FULL_MARKS
    assert total(rows, "no_check_cells") == FULL_MARKS
    assert rows["complete"]["note"] == ""
    feedback = (output / "feedback" / "complete.md").read_text(encoding="utf-8")
    assert f"Score: {FULL_MARKS} / {FULL_MARKS}" in feedback


def test_the_untouched_student_version_scores_zero(graded):
    rows, output, _ = graded
    assert total(rows, "untouched") == 0
    feedback = (output / "feedback" / "untouched.md").read_text(encoding="utf-8")
    assert "A public test failed" in feedback and "A hidden test failed" in feedback
    assert "Errors while running your notebook" in feedback  # e.g. unpacking `...` in q4


def test_a_wrong_answer_loses_exactly_its_points(graded):
    rows, output, _ = graded
    assert total(rows, "wrong_q5") == FULL_MARKS - Q5_POINTS
    assert rows["wrong_q5"]["q5"] == "0" and rows["wrong_q5"]["q4"] == "1"
    feedback = (output / "feedback" / "wrong_q5.md").read_text(encoding="utf-8")
    assert "## q5: 0 / 2" in feedback and "## q4: 1 / 1" in feedback


@pytest.mark.parametrize("student", ["redefines_grader", "patches_otter", "patches_numpy"])
def test_tampering_with_the_checker_does_not_raise_the_score(graded, student):
    rows, _, _ = graded
    assert total(rows, student) == FULL_MARKS - Q5_POINTS
    assert rows[student]["q5"] == "0"


def test_answers_equal_to_everything_score_nothing(graded):
    rows, output, _ = graded
    assert total(rows, "always_equal") == 0
    feedback = (output / "feedback" / "always_equal.md").read_text(encoding="utf-8")
    assert feedback.count("A public test failed") >= 5


def test_an_endless_loop_is_stopped_and_only_its_submission_suffers(graded):
    rows, output, seconds = graded
    assert total(rows, "endless_loop") == 0
    assert "time limit" in rows["endless_loop"]["note"]
    assert "time limit" in (output / "feedback" / "endless_loop.md").read_text(encoding="utf-8")
    assert total(rows, "complete") == FULL_MARKS  # graded in the same batch
    assert seconds < 12 * TIMEOUT


def test_a_kernel_that_dies_costs_only_its_submission(graded):
    rows, _, _ = graded
    assert total(rows, "kills_its_kernel") == 0
    assert "died" in rows["kills_its_kernel"]["note"]


@pytest.mark.parametrize("student", ["not_a_notebook", "wrong_schema"])
def test_an_invalid_file_is_reported_not_fatal(graded, student):
    rows, output, _ = graded
    assert total(rows, student) == 0
    assert rows[student]["note"].startswith("not a valid notebook")
    assert "not a valid notebook" in (output / "feedback" / f"{student}.md").read_text(encoding="utf-8")


def test_grading_needs_to_know_the_lab(tmp_path):
    (tmp_path / "x.ipynb").write_text("not a notebook", encoding="utf-8")
    with pytest.raises(SystemExit, match="--lab"):
        grading.grade_folder(tmp_path, tmp_path / "out")


# --- the batch survives any one submission, and keeps what it has graded ---------------------------

def _named_notebook(path, lab):
    notebook = nbformat.v4.new_notebook(metadata={"otter": {"assignment_name": lab}})
    nbformat.write(notebook, path)


def test_one_notebook_naming_another_lab_does_not_block_the_batch(tmp_path):
    for student in ("ann", "bo", "cy"):
        _named_notebook(tmp_path / f"{student}.ipynb", LAB)
    _named_notebook(tmp_path / "dee.ipynb", "tf_basics")
    said = []
    assert grading.grade._lab_of(sorted(tmp_path.glob("*.ipynb")), said.append) == LAB
    assert said == [f"most submissions are for {LAB}; also named: tf_basics (1)"]
    _named_notebook(tmp_path / "eve.ipynb", "tf_basics")
    with pytest.raises(SystemExit, match=r"found: perceptron \(3\), tf_basics \(2\)\); pass --lab"):
        grading.grade._lab_of(sorted(tmp_path.glob("*.ipynb")))


def test_a_grader_error_costs_one_submission_and_the_gradebook_grows_after_each(tmp_path, monkeypatch):
    questions = [grading.Question("q1", 2.0, []), grading.Question("q2", 3.0, [])]
    for student in ("ann", "bo", "cy"):
        _named_notebook(tmp_path / f"{student}.ipynb", LAB)
    output = tmp_path / "out"
    rows_seen = []

    def grade_submission(path, questions, **kwargs):
        gradebook = output / "gradebook.csv"
        rows_seen.append(gradebook.read_text(encoding="utf-8").count("\n") - 1 if gradebook.exists() else 0)
        if path.stem == "bo":
            raise AttributeError("'list' object has no attribute 'items'")
        return grading.Result(path.stem, {"q1": 2.0, "q2": 3.0}, {"q1": 2.0, "q2": 3.0})

    monkeypatch.setattr(grading.grade, "grade_submission", grade_submission)
    results = grading.grade_folder(tmp_path, output, questions=questions, log=lambda line: None, jobs=1)
    assert rows_seen == [0, 1, 2], "the gradebook is rewritten after every submission"
    assert [result.total for result in results] == [5.0, 0.0, 5.0]
    assert results[1].note == "grader error (AttributeError: 'list' object has no attribute 'items')"
    with open(output / "gradebook.csv", newline="", encoding="utf-8") as handle:
        assert [row["total"] for row in csv.DictReader(handle)] == ["5", "0", "5"]
    assert not list(output.glob("*.partial"))


def test_the_gradebook_cannot_hold_a_formula(tmp_path):
    questions = [grading.Question("q1", 1.0, [])]
    results = [grading.Result("=HYPERLINK(\"http://x\")", {"q1": 1.0}, {"q1": 1.0}, note="-2+3"),
               grading.Result("@SUM(A1)", {"q1": 0.0}, {"q1": 1.0}), grading.Result("alice", {"q1": 1.0}, {"q1": 1.0})]
    path = grading.write_gradebook(results, questions, tmp_path / "gradebook.csv")
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["student"] for row in rows] == ["'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "alice"]
    assert rows[0]["note"] == "'-2+3"


def test_an_answer_file_replaced_by_a_fifo_blocks_nothing(graded):
    rows, output, _ = graded
    assert total(rows, "fifo_reply") == 0
    assert "not a file" in (output / "feedback" / "fifo_reply.md").read_text(encoding="utf-8")
    assert total(rows, "complete") == FULL_MARKS  # graded in the same batch, untouched


def test_an_answer_larger_than_the_limit_is_refused_unread(tmp_path):
    from book.grading import kernel

    reply = tmp_path / "reply.json"
    reply.write_text('{"ok": ["value", "' + "x" * 2000 + '"]}')
    with pytest.raises(grading.GradingError, match="answers are limited to"):
        kernel.read_reply(reply, limit=1000)
    assert kernel.read_reply(reply, limit=4000).startswith('{"ok"')


def test_the_solution_is_out_of_a_submissions_reach(graded):
    rows, _, _ = graded
    assert total(rows, "reads_the_solution") == 0


def test_no_process_outlives_its_submission(graded):
    running = subprocess.run(["pgrep", "-f", r"time.sleep\(4242\)"], capture_output=True, text=True).stdout
    assert running == "", f"processes started by a submission are still running: {running}"
    assert total(graded[0], "outlives_its_kernel") == FULL_MARKS


def test_a_submission_cannot_write_where_the_grader_runs(graded):
    assert not (Path.cwd() / MARKER).exists()
    assert total(graded[0], "writes_into_the_grader") == FULL_MARKS


def test_without_bubblewrap_grading_refuses_unless_told(tmp_path, monkeypatch):
    (tmp_path / "x.ipynb").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(grading.grade, "sandbox_problem", lambda: "bubblewrap (bwrap) is not installed")
    with pytest.raises(SystemExit, match="cannot grade in a sandbox: bubblewrap .* --unsafe-no-sandbox"):
        grading.grade_folder(tmp_path, tmp_path / "out", lab=LAB)
