"""Reading the book in JupyterLab without changing it.

Three pieces, which ``./textbook setup`` installs into the virtual environment (``python -m
book.jupyter``):

- a pre-save hook for the Jupyter server (set in its configuration) that keeps the chapters'
  committed notebooks as ``python -m book sync`` writes them: when JupyterLab saves a chapter
  (autosave does, every two minutes, once a cell has run), the ``.ipynb`` gets the chapter's
  cells without outputs, execution counts or the metadata JupyterLab adds, so a chapter that was
  only read and run is saved byte for byte as it was. Edits to the text are saved as usual, to
  the ``.md`` and the ``.ipynb``. The labs' sources (``solutions/``) are saved without outputs
  too; the students' notebooks (``labs/``) are not touched: students hand them in with their work;
- a JupyterLab extension (``book/labextension/``, plain JavaScript, nothing to build) that makes
  the notebook view, through Jupytext, the default for the chapters' ``.md`` files, so a
  double-click opens a chapter as a notebook (other markdown, the README or the glossary, still
  opens in the editor), and that keeps a notebook of the book unmodified when a kernel connects
  (JupyterLab records the kernel's exact Python version in it, which alone would ask to save);
- JupyterLab defaults (``overrides.json``): no offer to fetch Jupyter news from the internet.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import jupytext
import nbformat

from . import project

EXTENSION_NAME = "dl-textbook-chapters"
EXTENSION_SOURCE = Path(__file__).with_name("labextension")
# Configuration rather than a server extension: Jupytext's extension replaces the contents manager
# when it loads, and a hook registered on the old one would be lost; configuration reaches both.
SERVER_CONFIG = {"ContentsManager": {"pre_save_hook": "book.jupyter.keep_committed_notebooks_clean"}}


# Cell metadata that records the state of JupyterLab's view (collapsed headings and outputs, scroll
# state, timings), not the chapter.
VIEW_STATE = ("jp-MarkdownHeadingCollapsed", "collapsed", "scrolled", "jupyter", "execution", "ExecuteTime",
              "editable", "deletable", "trusted")


def _without_view_state(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for cell in notebook.cells:
        for key in VIEW_STATE:
            cell.metadata.pop(key, None)
    return notebook


def clean_chapter_text(text: str) -> str:
    """A chapter's markdown as saved from JupyterLab, without the view's state in its cells."""
    return jupytext.writes(_without_view_state(jupytext.reads(text, fmt="md:myst")), fmt="md:myst")


def clean_chapter_notebook(content: dict[str, Any]) -> dict[str, Any]:
    """A chapter notebook as ``book sync`` writes it: cells as in the markdown, no outputs.

    Cell ids are kept (they come from the committed notebook), and the notebook metadata is what
    the markdown's header carries.
    """
    notebook = nbformat.from_dict(content)
    clean = jupytext.reads(clean_chapter_text(jupytext.writes(notebook, fmt="md:myst")), fmt="md:myst")
    if len(clean.cells) == len(notebook.cells):
        for mine, theirs in zip(clean.cells, notebook.cells):
            if "id" in theirs:
                mine["id"] = theirs["id"]
    for cell in clean.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return json.loads(jupytext.writes(clean, fmt="ipynb"))


def _is_chapter(os_path: Path) -> bool:
    """``chapters/<part>/<name>.{md,ipynb}`` where the ``.md`` is a Jupytext notebook."""
    source = os_path.with_suffix(".md")
    return (os_path.parent.parent.name == project.CHAPTERS.name and source.is_file()
            and project.is_notebook_text(source))


def clean_solution_notebook(content: dict[str, Any], committed: Path) -> dict[str, Any]:
    """A lab's source without outputs, execution counts, view or widget state, as it is committed.

    The kernel's ``language_info`` (which names the exact Python version) is the committed one.
    """
    notebook = _without_view_state(nbformat.from_dict(content))
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.metadata.pop("widgets", None)
    if committed.is_file():
        language_info = nbformat.read(committed, as_version=4).metadata.get("language_info")
        if language_info:
            notebook.metadata["language_info"] = language_info
    return json.loads(nbformat.writes(notebook))


def _is_solution(os_path: Path) -> bool:
    """``solutions/<lab>/<lab>.ipynb``."""
    return (os_path.suffix == ".ipynb" and os_path.parent.parent.name == project.SOLUTIONS.name
            and os_path.stem == os_path.parent.name)


def keep_committed_notebooks_clean(model: dict[str, Any], path: str, contents_manager: Any, **kwargs: Any) -> None:
    """Pre-save hook: a chapter (or a lab's source) is written without what running and viewing
    it added.

    Jupytext saves a chapter in two calls: the ``.ipynb`` (a notebook model) and the ``.md`` (a
    text model); each is cleaned here.
    """
    os_path = Path(contents_manager.root_dir, path.strip("/")).resolve()
    content = model.get("content")
    if _is_solution(os_path) and model.get("type") == "notebook" and isinstance(content, dict):
        model["content"] = clean_solution_notebook(content, os_path)
    if not _is_chapter(os_path):
        return
    if model.get("type") == "notebook" and os_path.suffix == ".ipynb" and isinstance(content, dict):
        model["content"] = clean_chapter_notebook(content)
    elif model.get("type") == "file" and os_path.suffix == ".md" and isinstance(content, str):
        model["content"] = clean_chapter_text(content)


# JupyterLab's defaults for the book's readers: no offer to fetch news from the internet (the book
# works offline, and the offer covers the first page a reader sees).
LAB_SETTINGS = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false"}}


def _merge_json(path: Path, sections: dict[str, dict[str, Any]]) -> Path:
    """Write ``sections`` into the JSON file ``path``, keeping whatever else it holds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    content = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for section, values in sections.items():
        content.setdefault(section, {}).update(values)
    path.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    return path


def install(prefix: Path = Path(sys.prefix)) -> list[Path]:
    """Install the server's configuration (the hook), JupyterLab's defaults and the JupyterLab
    extension into ``prefix``."""
    # (The server reads only extension switches from jupyter_server_config.d/, so the main file.)
    config = _merge_json(prefix / "etc" / "jupyter" / "jupyter_server_config.json", SERVER_CONFIG)
    overrides = _merge_json(prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json", LAB_SETTINGS)
    extension = prefix / "share" / "jupyter" / "labextensions" / EXTENSION_NAME
    if extension.exists():
        shutil.rmtree(extension)
    shutil.copytree(EXTENSION_SOURCE, extension)
    return [config, overrides, extension]


if __name__ == "__main__":
    for installed in install():
        print(f"installed {installed}")
