"""What ``./textbook setup`` installs for JupyterLab (``book/jupyter.py``), without a browser.

The pre-save hook is exercised through the contents manager JupyterLab uses (Jupytext's, over
the server's), on a copy of the chapters: a chapter that was run, with outputs and JupyterLab's
view state, is saved byte for byte as committed; an edit to its text is saved.
"""

import asyncio
import json
import shutil

import jupytext
import pytest
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from jupytext.async_contentsmanager import build_async_jupytext_contents_manager_class

from book import jupyter, project

CHAPTERS = [project.CHAPTERS / "01_introduction" / "what_is_deep_learning.md",
            project.CHAPTERS / "04_convolutional_networks" / "pooling.md",
            project.CHAPTERS / "05_recurrent_networks" / "gru_and_lstm.md"]


def saving_manager(root):
    """The contents manager JupyterLab uses (Jupytext's, over the server's), with the book's hook."""
    manager = build_async_jupytext_contents_manager_class(AsyncLargeFileManager)(root_dir=str(root))
    manager.register_pre_save_hook(jupyter.keep_committed_notebooks_clean)
    return manager


@pytest.fixture
def book_copy(tmp_path):
    """A server root holding a copy of a few chapters (and a plain markdown file)."""
    for source in CHAPTERS:
        target = tmp_path / source.relative_to(project.ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
        shutil.copy(project.paired_notebook(source), target.with_suffix(".ipynb"))
    (tmp_path / "README.md").write_text("# A plain page\n")
    return tmp_path, saving_manager(tmp_path)


def as_run_in_jupyterlab(content):
    """A notebook model as JupyterLab sends it after Run All, with some headings collapsed."""
    content["metadata"]["language_info"] = {"name": "python", "version": "3.11.7"}
    content["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    for count, cell in enumerate(content["cells"], start=1):
        if cell["cell_type"] == "code":
            cell["execution_count"] = count
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "printed\n"}]
            cell["metadata"].update(scrolled=True, execution={"iopub.status.idle": "2026-12-02T00:00:00Z"})
        else:
            cell["metadata"]["jp-MarkdownHeadingCollapsed"] = True
    return content


@pytest.mark.parametrize("opened", [".md", ".ipynb"])
def test_saving_a_chapter_that_was_run_changes_no_byte(book_copy, opened):
    root, manager = book_copy

    async def open_run_save():
        for source in CHAPTERS:
            path = source.relative_to(project.ROOT).with_suffix(opened).as_posix()
            model = await manager.get(path, type="notebook", content=True)
            await manager.save({"type": "notebook", "content": as_run_in_jupyterlab(model["content"])}, path)

    asyncio.run(open_run_save())
    for source in CHAPTERS:
        copy = root / source.relative_to(project.ROOT)
        assert copy.read_bytes() == source.read_bytes(), copy.name
        assert copy.with_suffix(".ipynb").read_bytes() == project.paired_notebook(source).read_bytes(), copy.name


def test_an_edit_is_saved_to_both_files_without_outputs(book_copy):
    root, manager = book_copy
    path = CHAPTERS[1].relative_to(project.ROOT).as_posix()

    async def edit():
        model = await manager.get(path, type="notebook", content=True)
        content = as_run_in_jupyterlab(model["content"])
        content["cells"][0]["source"] += "\n\nA sentence the reader added."
        await manager.save({"type": "notebook", "content": content}, path)

    asyncio.run(edit())
    text, notebook = jupytext.read(root / path), jupytext.read((root / path).with_suffix(".ipynb"))
    assert text.cells[0].source.endswith("A sentence the reader added.")
    assert notebook.cells[0].source == text.cells[0].source
    assert all(not cell.get("outputs") and cell.get("execution_count") is None
               for cell in notebook.cells if cell.cell_type == "code")
    assert set(notebook.metadata) == {"jupytext", "kernelspec"}


def test_other_files_are_saved_as_they_come(book_copy):
    root, manager = book_copy

    async def save_plain():
        await manager.save({"type": "file", "format": "text", "content": "# A plain page\n\n::: kept\n"}, "README.md")

    asyncio.run(save_plain())
    assert (root / "README.md").read_text() == "# A plain page\n\n::: kept\n"


def test_install_writes_the_configuration_and_keeps_what_was_there(tmp_path):
    settings = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}))
    jupyter.install(tmp_path)
    config = json.loads((tmp_path / "etc" / "jupyter" / "jupyter_server_config.json").read_text())
    assert config["ContentsManager"]["pre_save_hook"] == "book.jupyter.keep_committed_notebooks_clean"
    overrides = json.loads(settings.read_text())
    assert overrides["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert overrides["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false"}
    extension = tmp_path / "share" / "jupyter" / "labextensions" / jupyter.EXTENSION_NAME
    build = json.loads((extension / "package.json").read_text())["jupyterlab"]["_build"]
    assert (extension / build["load"]).is_file()


def test_a_labs_source_is_saved_without_outputs_and_the_student_version_as_it_comes(tmp_path):
    solution = project.SOLUTIONS / "perceptron" / "perceptron.ipynb"
    student = project.LABS / "perceptron" / "perceptron.ipynb"
    for source in (solution, student):
        target = tmp_path / source.relative_to(project.ROOT)
        target.parent.mkdir(parents=True)
        shutil.copy(source, target)
    manager = saving_manager(tmp_path)

    async def run_and_save(source):
        path = source.relative_to(project.ROOT).as_posix()
        model = await manager.get(path, type="notebook", content=True)
        await manager.save({"type": "notebook", "content": as_run_in_jupyterlab(model["content"])}, path)

    asyncio.run(run_and_save(solution))
    asyncio.run(run_and_save(student))
    assert (tmp_path / solution.relative_to(project.ROOT)).read_bytes() == solution.read_bytes()
    worked = json.loads((tmp_path / student.relative_to(project.ROOT)).read_text())
    assert any(cell.get("outputs") for cell in worked["cells"]), "a student's work keeps its outputs"
