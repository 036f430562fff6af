"""Hooks for the notebooks the test run executes (nbval over chapters/ and solutions/).

The unit tests' fixtures are in tests/conftest.py; these hooks sit at the root so that they
reach the notebooks' cells, which are collected outside tests/.
"""

import os

import pytest


def _is_notebook_cell(item) -> bool:
    return type(item).__name__ == "IPyNbCell"


def pytest_configure(config):
    """Start each notebook's kernel as JupyterLab does, forwarding output written to the process's
    file descriptors (TensorFlow's C++ notices, for one): ipykernel does not forward it when it
    sees PYTEST_CURRENT_TEST, which pytest sets just before nbval starts the kernel."""
    try:
        import nbval.plugin
    except ImportError:
        return

    class KernelAsInJupyterLab(nbval.plugin.RunningKernel):
        def __init__(self, *args, **kwargs):
            saved = os.environ.pop("PYTEST_CURRENT_TEST", None)
            try:
                super().__init__(*args, **kwargs)
            finally:
                if saved is not None:
                    os.environ["PYTEST_CURRENT_TEST"] = saved

    nbval.plugin.RunningKernel = KernelAsInJupyterLab


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A notebook cell fails when it writes to stderr (a red box for readers), unless its tags
    include ``stderr-expected``."""
    result = yield
    if _is_notebook_cell(item) and "stderr-expected" not in item.cell.metadata.get("tags", []):
        stderr = "".join(output.get("text", "") for output in item.test_outputs or []
                         if output.get("output_type") == "stream" and output.get("name") == "stderr")
        if stderr.strip():
            raise AssertionError(f"the cell wrote to stderr, which readers see as a red box:\n{stderr[-2000:]}")
    return result
