"""Every lab grades as intended: its answered student version gets full marks, the untouched one 0.

Each lab's tests are run the way ``python -m book grade`` runs them (at each check cell, in the
grader's process, through proxies), which catches tests that only work inside otter.
"""

import nbformat
import pytest

from book import grading, project

# otter (run in this process to generate tests) uses a deprecated traitlets idiom.
pytestmark = pytest.mark.filterwarnings("ignore:Traits should be given as instances:DeprecationWarning")


@pytest.mark.parametrize("lab", grading.lab_names())
def test_answered_lab_scores_full_marks_and_untouched_lab_scores_zero(lab):
    assert grading.verify_lab(lab) == []


def _replace_answer(notebook, marker: str, source: str):
    """The notebook with the answer cell holding ``marker`` replaced by ``source``."""
    (cell,) = [cell for cell in notebook.cells if marker in cell.source and cell.cell_type == "code"
               and "otter_answer_cell" in cell.metadata.get("tags", [])]
    cell.source = source
    return notebook


def test_the_values_printed_in_the_lab_do_not_pass_its_training_questions(tmp_path):
    """tf_computational_graph shows the trained W and b in its text: typing them in, without the
    training loop (q7) or the training step (q8), earns nothing for those questions."""
    lab = "tf_computational_graph"
    notebook = grading.answered_notebook(lab)
    _replace_answer(notebook, "GradientDescentOptimizer", """with graph.as_default():
    optimizer = tf.compat.v1.train.GradientDescentOptimizer(0.01)
    train = optimizer.minimize(loss)
print("train:", train)
W_trained, b_trained = np.float32(-0.9999969), np.float32(0.99999082)
print(repr(W_trained), repr(b_trained))""")
    _replace_answer(notebook, "def train_step", """x_data = tf.constant([1.0, 2.0, 3.0, 4.0])
y_data = tf.constant([0.0, -1.0, -2.0, -3.0])
W2 = tf.Variable(0.3)
b2 = tf.Variable(-0.3)


def linear_model_tf2(x):
    return W2 * x + b2


def loss_tf2(x, y):
    return tf.reduce_sum(tf.square(linear_model_tf2(x) - y))


initial_loss_tf2 = float(loss_tf2(x_data, y_data))
W2.assign(-0.9999969)
b2.assign(0.99999082)


def train_step(x, y):
    return loss_tf2(x, y)
print("initial loss:", initial_loss_tf2)
print("W2 =", W2.numpy(), " b2 =", b2.numpy())""")
    path = tmp_path / "typed_in.ipynb"
    nbformat.write(notebook, path)
    result = grading.grade_submission(path, grading.autograder_questions(lab), lab_dir=project.LABS / lab, timeout=300)
    assert result.scores["q7"] == 0 and result.scores["q8"] == 0, result.feedback
    assert all(result.scores[name] == result.possible[name] for name in result.possible if name not in ("q7", "q8"))


def test_independent_parts_of_a_question_earn_their_own_points(tmp_path):
    """Convolution q4 and q5 each ask for max and average pooling: wrong average pooling, right
    max pooling, earns the max-pooling half of each."""
    lab = "convolution"
    notebook = grading.answered_notebook(lab)
    for marker, right, wrong in (("def avg_pool_forward", "window.mean(axis=(2, 3))", "window.max(axis=(2, 3))"),
                                 ("def avg_pool_backward", "/ size**2", "/ size")):
        (cell,) = [cell for cell in notebook.cells if marker in cell.source]
        assert right in cell.source
        cell.source = cell.source.replace(right, wrong)
    path = tmp_path / "half_pooling.ipynb"
    nbformat.write(notebook, path)
    result = grading.grade_submission(path, grading.autograder_questions(lab), lab_dir=project.LABS / lab, timeout=300)
    assert (result.scores["q4"], result.scores["q5"]) == (1.0, 1.5), result.feedback
    assert all(result.scores[name] == result.possible[name] for name in result.possible if name not in ("q4", "q5"))


def test_an_answer_that_calls_pytorch_earns_nothing_in_a_numpy_only_lab(tmp_path):
    lab = "convolution"
    notebook = grading.answered_notebook(lab)
    _replace_answer(notebook, "def conv2d_forward", '''def conv2d_forward(x, w, b, stride=1, padding=0):
    """PyTorch does the work: right results, against the lab's rules."""
    out = convolve(x, w, b, stride, padding)
    return out, (x, w, b, stride, padding)''')
    helper = nbformat.v4.new_code_cell("def convolve(x, w, b, stride, padding):\n"
                                       "    return torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(w), "
                                       "torch.tensor(b), stride=stride, padding=padding).numpy()")
    notebook.cells.insert(2, helper)
    path = tmp_path / "torch_forward.ipynb"
    nbformat.write(notebook, path)
    result = grading.grade_submission(path, grading.autograder_questions(lab), lab_dir=project.LABS / lab, timeout=300)
    assert result.scores["q2"] == 0
    assert result.feedback["q2"] == ["`conv2d_forward` uses PyTorch (`torch`, cell 2, line 2); "
                                     "this lab's answers must use NumPy only."]
    assert all(result.scores[name] == result.possible[name] for name in result.possible if name != "q2")
