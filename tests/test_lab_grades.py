"""Every lab grades as intended: its answered student version gets full marks, the untouched one 0.

Each lab's tests are run the way ``python -m book grade`` runs them (at each check cell, in the
grader's process, through proxies), which catches tests that only work inside otter.
"""

import pytest

from book import grading

# otter (run in this process to generate tests) uses a deprecated traitlets idiom.
pytestmark = pytest.mark.filterwarnings("ignore:Traits should be given as instances:DeprecationWarning")


@pytest.mark.parametrize("lab", grading.lab_names())
def test_answered_lab_scores_full_marks_and_untouched_lab_scores_zero(lab):
    assert grading.verify_lab(lab) == []
