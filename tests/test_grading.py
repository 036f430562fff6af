"""Graded labs: the student versions stay in sync with their sources, and grading cannot be fooled.

The robustness tests grade one batch of perceptron-lab submissions made here from the student
version and the solution: complete (with and without its check cells), untouched, one wrong
answer, files that are not notebooks, and every crafted submission of ``tests/attacks`` (tampering
with the checker, answers equal to everything, attacks on the grader and on the machine).
"""

import ast
import csv
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
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
    questions, hidden_tests, test_points, in_tests = [], [], [], False
    for cell in notebook.cells:
        if cell.cell_type == "raw" and cell.source.startswith("# BEGIN QUESTION"):
            questions.append(cell.source)
            hidden_tests.append(0)
            test_points.append([])
        elif cell.cell_type == "raw" and cell.source.strip() in ("# BEGIN TESTS", "# END TESTS"):
            in_tests = cell.source.strip() == "# BEGIN TESTS"
        elif in_tests and cell.cell_type == "code":
            hidden_tests[-1] += bool(re.search(r"^hidden:\s*true\s*$", cell.source, re.MULTILINE))
            points = re.search(r"^points:\s*([\d.]+)\s*$", cell.source, re.MULTILINE)
            test_points[-1].append(float(points.group(1)) if points else None)
    assert questions, "a lab has at least one question"
    for index, (question, hidden, points) in enumerate(zip(questions, hidden_tests, test_points), start=1):
        assert re.search(rf"^name:\s*q{index}\s*$", question, re.MULTILINE), f"questions are q1, q2, ... ({question!r})"
        assert hidden >= 1, f"q{index} has no hidden test"
        all_or_nothing = re.search(r"^all_or_nothing:\s*(true|false)\s*$", question, re.MULTILINE)
        assert all_or_nothing, f"q{index}: all_or_nothing: true, or false for independent parts"
        if all_or_nothing.group(1) == "false":  # partial credit: every test cell says what it is worth
            total = float(re.search(r"^points:\s*([\d.]+)\s*$", question, re.MULTILINE).group(1))
            assert None not in points and sum(points) == total, f"q{index}: test points {points} do not make {total}"


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


def wrong_q1(notebook):
    """q1 answered wrongly (an output of 1 where X w + b is exactly 0); every other answer right,
    though q2-q5 call `predict`."""
    notebook = nbformat.from_dict(notebook)
    (cell,) = [c for c in notebook.cells if "def predict" in c.source]
    cell.source = cell.source.replace("(weighted_sums > 0)", "(weighted_sums >= 0)")
    return notebook


ATTACKS = Path(__file__).parent / "attacks"


@dataclass(frozen=True)
class Attack:
    """A crafted submission (``tests/attacks/<name>.py``): one cell, and how it must be graded."""

    name: str
    cell: str
    on: str
    at: str
    deserves: str
    says: str | None = None

    @classmethod
    def load(cls, path: Path) -> "Attack":
        source = path.read_text(encoding="utf-8")
        # The first assignment: `ON, AT, DESERVES[, SAYS] = ...`.
        assignment = next(node for node in ast.parse(source).body if isinstance(node, ast.Assign))
        names = [name.id for name in assignment.targets[0].elts]
        constants = dict(zip(names, ast.literal_eval(assignment.value)))
        attack = cls(path.stem, source, constants["ON"], constants["AT"], constants["DESERVES"], constants.get("SAYS"))
        assert attack.on in ("complete", "blank", "blank_unchecked") and attack.at in ("start", "end") \
            and attack.deserves in ("full", "zero"), f"{path.name}: ON, AT or DESERVES is not one of the choices"
        return attack

    def submission(self, lab: str, complete, blank):
        """The notebook: the lab's complete or blank version with this cell added."""
        base = {"complete": complete, "blank": blank, "blank_unchecked": without_check_cells(blank)}[self.on]
        return with_cell(base, f"LAB = {lab!r}\n" + self.cell, position=1 if self.at == "start" else None)


def load_attacks() -> list[Attack]:
    return [Attack.load(path) for path in sorted(ATTACKS.glob("*.py"))]


def attacked_batch(lab: str) -> dict:
    """Every crafted submission for ``lab``, by name."""
    complete = grading.answered_notebook(lab)
    blank = nbformat.read(project.LABS / lab / f"{lab}.ipynb", as_version=4)
    return {attack.name: attack.submission(lab, complete, blank) for attack in load_attacks()}


def sandbox_processes() -> list[str]:
    """Processes of the users of this process's sandboxes still running."""
    table = subprocess.run(["ps", "-eo", "uid=,pid=,args="], capture_output=True, text=True, check=True).stdout
    return [line for line in table.splitlines() if int(line.split()[0]) in grading.kernel._SANDBOX_USERS.ids]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade the whole batch once with the command line: the gradebook rows, the output folder, the
    seconds it took and the submissions folder."""
    submissions = tmp_path_factory.mktemp("submissions")
    output = tmp_path_factory.mktemp("graded")
    complete = grading.answered_notebook(LAB)
    student = nbformat.read(project.LABS / LAB / f"{LAB}.ipynb", as_version=4)
    batch = {
        "complete": complete,
        "untouched": student,
        "wrong_q5": wrong_q5(complete),
        "wrong_q1": wrong_q1(complete),
        "no_check_cells": without_check_cells(complete),
        **attacked_batch(LAB),
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
    return rows, output, seconds, submissions


def total(rows, student):
    return float(rows[student]["total"])


def test_gradebook_has_a_row_per_submission_and_a_column_per_question(graded):
    rows, output, _, _ = graded
    assert len(rows) == 7 + len(load_attacks())
    header = (output / "gradebook.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "student,q1,q2,q3,q4,q5,total,note"
    for row in rows.values():
        points = sum(float(row[f"q{i}"]) for i in range(1, 6))
        assert points == float(row["total"])
    assert {path.stem for path in (output / "feedback").glob("*.md")} == set(rows)


def test_the_solution_scores_full_marks(graded):
    rows, output, _, _ = graded
    assert total(rows, "complete") == FULL_MARKS
    assert total(rows, "no_check_cells") == FULL_MARKS
    assert rows["complete"]["note"] == ""
    feedback = (output / "feedback" / "complete.md").read_text(encoding="utf-8")
    assert f"Score: {FULL_MARKS} / {FULL_MARKS}" in feedback


def test_the_untouched_student_version_scores_zero(graded):
    rows, output, _, _ = graded
    assert total(rows, "untouched") == 0
    feedback = (output / "feedback" / "untouched.md").read_text(encoding="utf-8")
    assert "A public test failed" in feedback and "A hidden test failed" in feedback
    assert "Errors while running your notebook" in feedback  # e.g. unpacking `...` in q4


def test_a_wrong_answer_loses_exactly_its_points(graded):
    rows, output, _, _ = graded
    assert total(rows, "wrong_q5") == FULL_MARKS - Q5_POINTS
    assert rows["wrong_q5"]["q5"] == "0" and rows["wrong_q5"]["q4"] == "1"
    feedback = (output / "feedback" / "wrong_q5.md").read_text(encoding="utf-8")
    assert "## q5: 0 / 2" in feedback and "## q4: 1 / 1" in feedback


def test_a_wrong_answer_is_not_paid_again_by_the_questions_that_call_it(graded):
    """q2-q4 call `predict` (q1): while they are tested, the reference `predict` stands in for the
    wrong one, and the notebook's own comes back afterwards. (q5's weights were trained with the
    wrong `predict` when the notebook ran: those values are wrong, and q5 loses its points.)"""
    rows, _, _, _ = graded
    assert [rows["wrong_q1"][f"q{i}"] for i in range(1, 6)] == ["0", "2", "3", "1", "0"]


@pytest.mark.parametrize("attack", load_attacks(), ids=lambda attack: attack.name)
def test_a_crafted_submission_gets_exactly_what_it_deserves(graded, attack):
    rows, output, _, _ = graded
    assert total(rows, attack.name) == (FULL_MARKS if attack.deserves == "full" else 0)
    if attack.says:
        assert attack.says in (output / "feedback" / f"{attack.name}.md").read_text(encoding="utf-8")


def test_the_batch_survives_every_attack_in_time(graded):
    rows, output, seconds, submissions = graded
    assert total(rows, "complete") == FULL_MARKS  # graded in the same batch as the attacks
    assert seconds < len(rows) * TIMEOUT / 2
    assert sorted(path.stem for path in submissions.glob("*.ipynb")) == sorted(rows), "a submission was deleted"
    assert (project.LABS / LAB / f"{LAB}.ipynb").exists()


def test_no_process_outlives_its_submission(graded):
    assert sandbox_processes() == []
    running = subprocess.run(["pgrep", "-f", r"time.sleep\(4242\)"], capture_output=True, text=True).stdout
    assert running == "", f"processes started by a submission are still running: {running}"


def test_nothing_is_written_where_the_grader_imports_from(graded):
    import sysconfig

    for folder in (Path.cwd(), Path(sysconfig.get_paths()["purelib"]), project.ROOT / "book"):
        assert not (folder / "grader_hijack_marker.py").exists(), folder


def test_nothing_of_the_hidden_tests_reaches_the_feedback(graded):
    _, output, _, _ = graded
    for feedback in (output / "feedback").glob("*.md"):
        text = feedback.read_text(encoding="utf-8")
        assert "'hidden': True" not in text and "CAPTURED" not in text, feedback.name


def test_answers_equal_to_everything_fail_the_public_tests(graded):
    _, output, _, _ = graded
    feedback = (output / "feedback" / "always_equal.md").read_text(encoding="utf-8")
    assert feedback.count("A public test failed") >= 5


@pytest.mark.parametrize("student", ["not_a_notebook", "wrong_schema"])
def test_an_invalid_file_is_reported_not_fatal(graded, student):
    rows, output, _, _ = graded
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


def test_an_answer_larger_than_the_limit_is_refused_unread(tmp_path):
    from book.grading import kernel

    reply = tmp_path / "reply.json"
    reply.write_text('{"ok": ["value", "' + "x" * 2000 + '"]}')
    with pytest.raises(grading.GradingError, match="answers are limited to"):
        kernel.read_reply(reply, limit=1000)
    assert kernel.read_reply(reply, limit=4000).startswith('{"ok"')


def test_without_bubblewrap_grading_refuses_unless_told(tmp_path, monkeypatch):
    (tmp_path / "x.ipynb").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(grading.grade, "sandbox_problem", lambda: "bubblewrap (bwrap) is not installed")
    with pytest.raises(SystemExit, match="cannot grade in a sandbox: bubblewrap .* --unsafe-no-sandbox"):
        grading.grade_folder(tmp_path, tmp_path / "out", lab=LAB)


# --------------------------------------------------------------------------------------------
# The NumPy-only rule, read from the notebook's text

GIVEN = "import numpy as np\nimport torch\nfrom book import landscapes\nsaddle = landscapes.saddle()"


def violations(*answer_cells: str) -> dict:
    """The rule's verdict on a notebook of the lab's cell GIVEN then ``answer_cells``; q1's answer is `f`."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)
                                               for source in (GIVEN, *answer_cells)])
    verdict = grading.rules.numpy_only_violations(notebook, {"q1": frozenset({"f"})}, frozenset({GIVEN}))
    return {question: (v.module, v.cell, v.line) for question, v in verdict.items()}


@pytest.mark.parametrize("cells, found", [
    (["def f(x):\n    return np.tanh(x)"], {}),
    (["def f(x):\n    return torch.tanh(torch.tensor(x)).numpy()"], {"q1": ("torch", 1, 2)}),
    (["def g(x):\n    import tensorflow as tf\n    return tf.tanh(x)", "def f(x):\n    return g(x)"],
     {"q1": ("tensorflow", 1, 2)}),
    (["def f(x):\n    return __import__('torch').tanh(x)"], {"q1": ("__import__", 1, 2)}),
    (["from torch.nn.functional import relu as r\ndef f(x):\n    return r(x)"], {"q1": ("torch", 1, 3)}),
    (["helper = torch.tanh", "def f(x):\n    return helper(x)"], {"q1": ("torch", 1, 1)}),
    (["def f(x, torch=np):\n    return torch.tanh(x)"], {}),  # a parameter, not the module
    (["def f(x):\n    return saddle.gradient(x)"], {}),  # what the lab gives may be used
])
def test_the_numpy_only_rule_follows_an_answer_through_the_notebook(cells, found):
    assert violations(*cells) == found


def test_every_lab_that_says_numpy_only_is_held_to_it():
    for lab in grading.lab_names():
        text = grading.solution_notebook(lab).read_text(encoding="utf-8")
        says = bool(re.search(r"NumPy only", text))
        assert says == (lab in grading.rules.NUMPY_ONLY_LABS), lab


def test_the_grader_imports_nothing_from_its_working_folder(tmp_path):
    """`python -m book grade` restarts itself isolated before it imports otter: an `otter.py` in
    the folder it runs in is never imported."""
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    nbformat.write(grading.answered_notebook(LAB), submissions / "alice.ipynb")
    marker = tmp_path / "hijacked"
    (tmp_path / "otter.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "book", "grade", str(submissions), "--output", str(tmp_path / "out"),
                          "--timeout", str(TIMEOUT)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert not marker.exists()
    assert "alice" in (tmp_path / "out" / "gradebook.csv").read_text(encoding="utf-8")
