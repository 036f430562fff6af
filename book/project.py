"""Where things are in the book's repository, for the command line, the tests and the benchmarks."""

from __future__ import annotations

from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
SOLUTIONS = ROOT / "solutions"
LABS = ROOT / "labs"
PAIRED_FORMATS = "ipynb,md:myst"


def chapter_sources() -> list[Path]:
    """Every chapter's MyST markdown source (the reviewed text paired with an ``.ipynb``)."""
    return sorted(path for path in CHAPTERS.glob("*/*.md") if is_notebook_text(path))


def is_notebook_text(path: Path) -> bool:
    """Whether a markdown file is a Jupytext notebook (a chapter), not plain markdown."""
    head = path.read_text(encoding="utf-8")[:2000]
    return head.startswith("---") and "jupytext:" in head


def paired_notebook(source: Path) -> Path:
    return source.with_suffix(".ipynb")


def executed_notebooks() -> list[Path]:
    """The notebooks the test suite and the benchmark execute: chapters, then lab solutions."""
    return [paired_notebook(source) for source in chapter_sources()] + sorted(SOLUTIONS.glob("*/*.ipynb"))


def cell_timeout() -> int:
    """Seconds a notebook cell may run before it is taken to hang: ``execute.timeout`` in
    ``_config.yml``, which the site build reads; the test run (pyproject.toml) and ``bench`` use it too.

    It guards against hangs and does not measure speed (``bench`` does): the slowest cell, the Keras
    LeNet's training, took 165-177 s on an idle two-core machine and over 300 s in a test run with
    another notebook beside it.
    """
    import yaml

    return int(yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["execute"]["timeout"])


def out_of_sync(source: Path) -> list[str]:
    """Differences between a markdown source and its paired notebook (empty when in sync)."""
    notebook_path = paired_notebook(source)
    if not notebook_path.exists():
        return [f"{notebook_path.relative_to(ROOT)} is missing"]
    text, notebook = jupytext.read(source), jupytext.read(notebook_path)
    problems = []
    if text.metadata.get("kernelspec") != notebook.metadata.get("kernelspec"):
        problems.append("the kernelspec differs")
    if len(text.cells) != len(notebook.cells):
        problems.append(f"{len(text.cells)} cells in the markdown, {len(notebook.cells)} in the notebook")
    for index, (mine, theirs) in enumerate(zip(text.cells, notebook.cells)):
        if (mine.cell_type, mine.source.strip()) != (theirs.cell_type, theirs.source.strip()):
            problems.append(f"cell {index} differs")
        elif mine.metadata.get("tags", []) != theirs.metadata.get("tags", []):
            problems.append(f"cell {index} has different tags")
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            problems.append(f"cell {index} of the notebook carries outputs (commit notebooks clean)")
    return problems
