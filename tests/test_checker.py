"""The checker students run in a lab (``grader.check``): its first line says what is wrong."""

import runpy
from pprint import pformat

import pytest

from book.checker import Checker, load_questions


def write_question(tests_dir, name, public, hidden=()):
    """An OK-format test file, as ``otter assign`` writes them."""
    cases = [{"code": code, "hidden": False, "locked": False} for code in public]
    cases += [{"code": code, "hidden": True, "locked": False} for code in hidden]
    spec = {"name": name, "points": 2, "all_or_nothing": True,
            "suites": [{"cases": cases, "scored": True, "setup": "", "teardown": "", "type": "doctest"}]}
    (tests_dir / f"{name}.py").write_text(f"OK_FORMAT = True\n\ntest = {pformat(spec)}\n")


PREDICT_TEST = """>>> gate_inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
>>> outputs = np.asarray(predict(gate_inputs, np.array([1.0, 1.0]), -1.5))
>>> assert outputs.shape == (4,), f'expected one output per row, got shape {outputs.shape}'
>>> np.testing.assert_allclose(outputs, [0, 0, 0, 1], err_msg='the AND gate')
"""

TRAIN_TEST = """>>> w = train(np.array([[1.0, 0.0]]), np.array([1]))
>>> np.testing.assert_allclose(np.asarray(w), [1.0, 0.0])
"""


def notebook(tmp_path, source):
    """The namespace of a notebook whose cells are ``source`` (functions keep their source, as in IPython)."""
    path = tmp_path / "cells.py"
    path.write_text("import numpy as np\n" + source)
    return runpy.run_path(str(path))


@pytest.fixture
def checker(tmp_path):
    tests = tmp_path / "tests"
    tests.mkdir()
    write_question(tests, "q1", [PREDICT_TEST], hidden=[">>> assert False, 'hidden'\n"])
    write_question(tests, "q2", [TRAIN_TEST])
    write_question(tests, "q10", [">>> assert int(answer) == 42, 'the answer is 42'\n"])
    return Checker("lab.ipynb", tests)


def test_questions_are_read_in_natural_order(checker):
    assert [q.name for q in load_questions(checker.tests_dir)] == ["q1", "q2", "q10"]


def test_a_right_answer_passes_its_public_tests_only(checker, tmp_path):
    env = notebook(tmp_path, "def predict(X, w, b):\n    return (X @ w + b > 0).astype(int)\n")
    result = checker.check("q1", env)
    assert result.passed and result.summary.startswith("q1: the public test passed")


def test_a_stub_is_reported_as_not_answered(checker, tmp_path):
    env = notebook(tmp_path, 'def predict(X, w, b):\n    """The outputs."""\n    ...\n')
    result = checker.check("q1", env)
    assert not result.passed
    assert result.summary.startswith("q1 is not answered yet (`predict` still is `...`)")
    assert "\n" not in result.summary


def test_a_function_that_calls_a_stub_names_the_stub(checker, tmp_path):
    env = notebook(tmp_path, "def predict(X, w, b):\n    ...\n\n"
                             "def train(X, t):\n    return predict(X, np.zeros(2), 0.0)\n")
    assert checker.check("q2", env).summary.startswith("q2 is not answered yet (`predict` still is `...`)")


def test_an_ellipsis_value_is_not_answered(checker):
    assert "not answered yet (`answer` still is `...`)" in checker.check("q10", {"answer": ...}).summary


def test_a_wrong_value_says_which_call_gave_what_and_what_was_expected(checker, tmp_path):
    env = notebook(tmp_path, "def predict(X, w, b):\n    return (X @ w + b > -1).astype(int)\n")
    summary = checker.check("q1", env).summary
    assert summary == ("q1: the AND gate: `predict(gate_inputs, np.array([1.0, 1.0]), -1.5)` "
                       "gave [0, 1, 1, 1]; expected [0, 0, 0, 1]")


def test_an_assert_message_comes_first_with_the_call(checker, tmp_path):
    env = notebook(tmp_path, "def predict(X, w, b):\n    return (X @ w + b > 0).astype(int)[:3]\n")
    summary = checker.check("q1", env).summary
    assert summary.startswith("q1: expected one output per row, got shape (3,) (checked on `predict(")


def test_an_exception_names_the_call_that_raised_it(checker, tmp_path):
    env = notebook(tmp_path, "def predict(X, w, b):\n    return X @ w[:1] + b\n")
    result = checker.check("q1", env)
    assert result.summary.startswith("q1: `predict(gate_inputs, np.array([1.0, 1.0]), -1.5)` raised ValueError:")
    # The details show the test with its failing line marked, and the student's own frames only.
    assert "→ outputs = np.asarray(predict(" in result.details
    assert "site-packages" not in result.details and "doctest.py" not in result.details
    assert "return X @ w[:1] + b" in result.details


def test_a_missing_name_says_to_write_it(checker):
    assert checker.check("q10", {}).summary.startswith("q10: `answer` is not defined yet")


def test_check_all_gives_one_line_per_question(checker):
    text = repr(checker.check_all({"answer": 42}))
    assert text.splitlines()[2] == "q10: the public test passed. (The grade also counts hidden tests with other inputs.)"
    assert len(text.splitlines()) == 3


def test_the_html_shows_the_line_first_and_folds_the_details(checker, tmp_path):
    env = notebook(tmp_path, "def predict(X, w, b):\n    raise ValueError('<b>not</b> yet')\n")
    page = checker.check("q1", env)._repr_html_()
    assert page.index("q1: `predict(") < page.index("<details>")
    assert "raised ValueError: &lt;b&gt;not&lt;/b&gt; yet" in page and "<b>" not in page


def test_bad_uses_get_clear_errors(checker, tmp_path):
    with pytest.raises(ValueError, match="no question 'q3'; its questions are q1, q2, q10"):
        checker.check("q3", {})
    with pytest.raises(FileNotFoundError, match="open the lab from its folder"):
        Checker("lab.ipynb", tmp_path / "elsewhere")


def test_the_hidden_cases_stay_out_of_the_students_check(checker, tmp_path):
    env = notebook(tmp_path, "def predict(X, w, b):\n    return (X @ w + b > 0).astype(int)\n")
    assert checker.check("q1", env).passed  # its hidden case always fails


def test_every_lab_starts_the_books_checker_and_grading_skips_it():
    import nbformat

    from book import project
    from book.grading import generate, grade

    for path in sorted(project.LABS.glob("*/*.ipynb")):
        first = nbformat.read(path, as_version=4).cells[0]
        assert first.source == generate.CHECKER_CELL.format(notebook=path.name), path
        assert grade._FEEDBACK_CELL.fullmatch(first.source)


def test_a_question_of_independent_parts_scores_each_part(tmp_path):
    cases = [{"code": ">>> assert True\n", "hidden": False, "points": 0.5},
             {"code": ">>> assert True\n", "hidden": True},  # shares what the others leave
             {"code": ">>> assert True\n", "hidden": True}]
    for name, all_or_nothing in (("q1", False), ("q2", True)):
        spec = {"name": name, "points": 2, "all_or_nothing": all_or_nothing, "suites": [{"cases": cases}]}
        (tmp_path / f"{name}.py").write_text(f"OK_FORMAT = True\n\ntest = {pformat(spec)}\n")
    partial, whole = load_questions(tmp_path)
    assert [case.points for case in partial.cases] == [0.5, 0.75, 0.75]
    assert partial.score([True, False, True]) == 1.25 and partial.score([True, True, True]) == 2
    assert whole.score([True, False, True]) == 0 and whole.score([True, True, True]) == 2
