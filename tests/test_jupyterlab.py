"""JupyterLab as readers and students meet it, driven in headless Chromium.

``./textbook lab`` (JupyterLab in the book's environment, as set-up configures it) serves the
repository on 127.0.0.1 with a token; Playwright drives Debian's Chromium, and every request that
is not to that server is refused. The test opens a chapter's ``.md`` by double-click, runs it,
checks its outputs and a widget, saves it as autosave would and checks that the repository did
not change; then it answers a lab's first question blank and wrong and reads the first line of
the checker's feedback.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from book import jupyter, project

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHAPTER = project.CHAPTERS / "02_neural_networks" / "activation_functions.md"
LAB = project.LABS / "perceptron" / "perceptron.ipynb"

# Without Chromium the test is skipped, except in continuous integration, which installs it.
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                reason="needs Debian's chromium (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


UNTOUCHED_CHAPTER = project.CHAPTERS / "03_learning" / "loss_and_gradient_descent.md"
# The files the test opens; what they hold must not change.
OPENED = [CHAPTER, CHAPTER.with_suffix(".ipynb"), UNTOUCHED_CHAPTER, UNTOUCHED_CHAPTER.with_suffix(".ipynb"), LAB]


def _contents() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in OPENED}


@pytest.fixture(scope="module")
def committed():
    return _contents()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``jupyter lab`` on the repository, with fresh user settings (autosave off: the test saves)."""
    installed = Path(sys.prefix, "share", "jupyter", "labextensions", jupyter.EXTENSION_NAME)
    assert installed.is_dir(), "the book's JupyterLab extension is not installed: run ./textbook setup"
    home = tmp_path_factory.mktemp("jupyterlab")
    settings = home / "settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    port, token = _free_port(), secrets.token_hex(16)
    # The readers' command (which, as root, must add --allow-root by itself).
    command = [str(project.ROOT / "textbook"), "lab", "--no-browser", f"--ServerApp.port={port}",
               "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
               f"--LabApp.user_settings_dir={home / 'settings'}", f"--LabApp.workspaces_dir={home / 'workspaces'}",
               # Checkpoints outside the repository, where the site build and nbval will not meet them.
               f"--FileCheckpoints.root_dir={home / 'checkpoints'}"]
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(home / "runtime"), MPLBACKEND="module://matplotlib_inline.backend_inline")
    env.pop("PYTEST_CURRENT_TEST", None)
    log = open(home / "server.log", "w")
    process = subprocess.Popen(command, cwd=project.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("jupyter lab did not start:\n" + (home / "server.log").read_text()[-3000:])
            time.sleep(0.5)
    yield url, token
    # Shut down as a user would (File > Shut Down): the server stops its kernels, then itself.
    try:
        urllib.request.urlopen(urllib.request.Request(f"{url}/api/shutdown?token={token}", method="POST"), timeout=10)
        process.wait(timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        process.kill()
    log.close()


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    url, token = server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        # Nothing outside the server: JupyterLab must work offline.
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url)
                      else route.abort())
        page = context.new_page()
        page.goto(f"{url}/lab?token={token}")
        page.locator(".jp-DirListing-content").wait_for()
        yield page
        browser.close()


def _open_by_double_click(page, path: Path, attempts: int = 4) -> None:
    """Double-click through the file browser, from the root to the file, as a reader would.

    Under load JupyterLab may still be showing, or go back to, the folder it was in when the walk
    began (in CI it stayed in the lab's folder for 30 s after a click on the home icon). A walk
    that does not find its next item within 15 s starts again from the root.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(attempts):
        page.locator(".jp-BreadCrumbs-home").click()
        try:
            for part in path.relative_to(project.ROOT).parts:
                item = page.locator(".jp-DirListing-item", has=page.locator(".jp-DirListing-itemText", has_text=part))
                item.filter(has_text=part).first.dblclick(timeout=15_000)
            return
        except PlaywrightTimeout:
            pass
    pytest.fail(f"the file browser did not lead to {path.relative_to(project.ROOT)} in {attempts} walks; "
                f"it is at {page.url}")


def _until(condition, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting until {what}")
        time.sleep(0.25)


def _kernel_idle(page) -> bool:
    return any("| Idle" in text for text in page.locator(".jp-StatusBar-Widget").all_text_contents())


def _panel(page, path: Path):
    """The notebook ``path`` opened in its tab, once all its cells are shown and its kernel is idle.

    JupyterLab adds a notebook's cells in batches; under load a check made too early sees only
    some of them. A chapter's ``.md`` has as many cells as the ``.ipynb`` it is paired with.
    """
    tab = page.locator(".lm-TabBar-tab", has_text=path.name)
    tab.wait_for()
    tab.click()
    panel = page.locator(".jp-NotebookPanel:visible")
    cells = json.loads(path.with_suffix(".ipynb").read_text())["cells"]
    _until(lambda: panel.locator(".jp-Cell").count() == len(cells), f"{path.name} shows its {len(cells)} cells")
    text_cells = sum(cell["cell_type"] == "markdown" for cell in cells)
    assert panel.locator(".jp-MarkdownCell").count() == text_cells, f"{path.name} opened as a notebook, with its text"
    _until(lambda: _kernel_idle(page), f"the kernel of {path.name} is idle")
    return panel


def _wait_for_idle(page, panel, timeout: float = 180) -> None:
    """Until every code cell has run (no ``[*]`` prompt) and the kernel is idle."""
    _until(lambda: not any("*" in prompt for prompt in panel.locator(".jp-InputPrompt").all_text_contents())
           and _kernel_idle(page), "the cells have run", timeout)


def _run_all(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()


def _close_tab(page, name: str) -> None:
    page.locator(".lm-TabBar-tab", has_text=name).locator(".lm-TabBar-tabCloseIcon").click()


def test_a_chapter_opens_runs_reacts_and_saves_unchanged(page, committed):
    _open_by_double_click(page, CHAPTER)
    panel = _panel(page, CHAPTER)
    _run_all(page)
    time.sleep(2)
    _wait_for_idle(page, panel)
    code_cells = panel.locator(".jp-CodeCell")
    prompts = code_cells.locator(".jp-InputPrompt").all_text_contents()
    assert all(prompt.strip().strip("[]:").strip().isdigit() for prompt in prompts), prompts
    # No traceback and no red stderr box (TensorFlow's start-up notices included).
    stderr = panel.locator("[data-mime-type='application/vnd.jupyter.stderr']")
    assert stderr.count() == 0, stderr.all_text_contents()
    # The interactive figure: changing the dropdown redraws it.
    dropdown = panel.locator(".widget-dropdown select").first
    figure = dropdown.locator("xpath=ancestor::div[contains(@class, 'jp-OutputArea-output')][1]").locator("img")
    before = figure.first.get_attribute("src")
    dropdown.select_option("tanh")
    deadline = time.monotonic() + 30
    while figure.first.get_attribute("src") == before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert figure.first.get_attribute("src") != before, "the figure did not change with the dropdown"
    # Saving (what autosave does two minutes after the first run) leaves the repository as it was.
    page.keyboard.press("Control+s")
    page.locator(".lm-TabBar-tab.jp-mod-dirty", has_text=CHAPTER.name).wait_for(state="detached")
    assert _contents() == committed
    _close_tab(page, CHAPTER.name)
    assert page.locator(".jp-Dialog").count() == 0


def test_an_untouched_chapter_closes_without_a_question(page, committed):
    chapter = UNTOUCHED_CHAPTER
    _open_by_double_click(page, chapter)
    _panel(page, chapter)
    assert page.locator(".lm-TabBar-tab.jp-mod-dirty", has_text=chapter.name).count() == 0
    _close_tab(page, chapter.name)
    time.sleep(1)
    assert page.locator(".jp-Dialog").count() == 0
    assert _contents() == committed


def _run_cell(page, panel, index: int):
    """Run one code cell as a student does (click into it, Shift+Enter); the cell."""
    cell = panel.locator(".jp-Cell").nth(index)
    before = cell.locator(".jp-InputPrompt").text_content()
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    _until(lambda: (prompt := cell.locator(".jp-InputPrompt").text_content()) != before and "*" not in prompt
           and any(ch.isdigit() for ch in prompt), f"cell {index} has run", 120)
    return cell


def _feedback(cell) -> str:
    """The first line of the checker's output; what follows it must be folded away."""
    output = cell.locator(".jp-OutputArea-output").first
    assert output.locator("details").count() == 1 and output.locator("details").get_attribute("open") is None
    return output.locator("p").first.text_content()


def test_a_labs_feedback_says_first_what_is_wrong(page, committed):
    _open_by_double_click(page, LAB)
    panel = _panel(page, LAB)
    cells = panel.locator(".jp-Cell")
    code = {index: cells.nth(index).locator(".jp-InputArea-editor").text_content()
            for index in range(cells.count()) if "jp-CodeCell" in cells.nth(index).get_attribute("class")}
    stub = next(index for index, text in code.items() if text.startswith("def predict("))
    check = next(index for index, text in code.items() if text.strip() == 'grader.check("q1")')
    for index in sorted(code):
        if index < check:
            _run_cell(page, panel, index)
    first_line = _feedback(_run_cell(page, panel, check))
    assert first_line == ("✗ q1 is not answered yet (`predict` still is `...`): replace the `...` with your "
                          "code, run that cell, then this check again.")
    # A wrong answer: the bias subtracted.
    editor = panel.locator(".jp-Cell").nth(stub).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text("def predict(X, w, b):\n    return (X @ w - b > 0).astype(int)")
    _run_cell(page, panel, stub)
    first_line = _feedback(_run_cell(page, panel, check))
    assert first_line == ("✗ q1: `predict(gate_inputs, np.array([1.0, 1.0]), -1.5)` gave [1, 1, 1, 1]; "
                          "expected [0, 0, 0, 1]")
    # Leave the lab as it was: close without saving.
    _close_tab(page, LAB.name)
    page.locator(".jp-Dialog button", has_text="Discard").click()
    assert _contents() == committed


def test_plain_markdown_still_opens_in_the_editor(page):
    readme = project.ROOT / "README.md"
    _open_by_double_click(page, readme)
    page.locator(".lm-TabBar-tab", has_text=readme.name).wait_for()
    page.locator(".jp-FileEditor:visible").wait_for(timeout=30_000)
    assert page.locator(".jp-NotebookPanel:visible").count() == 0
    _close_tab(page, readme.name)
