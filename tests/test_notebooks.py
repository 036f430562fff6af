"""Every chapter is a paired, clean, seeded notebook, listed in the table of contents."""

import tomllib
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml
from jupyter_client.kernelspec import KernelSpecManager

from book import project

SOURCES = project.chapter_sources()
LAB_NOTEBOOKS = sorted(project.LABS.glob("*/*.ipynb")) + sorted(project.SOLUTIONS.glob("*/*.ipynb"))
INSTALLED_KERNEL_NAME = KernelSpecManager().get_kernel_spec("python3").display_name
ROOT = project.ROOT


def ids(paths):
    return [str(path.relative_to(ROOT)) for path in paths]


def toc_files():
    def walk(entries):
        for entry in entries:
            if "file" in entry:
                yield entry["file"]
            yield from walk(entry.get("chapters", []) + entry.get("sections", []))

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [toc["root"], *walk(toc.get("parts", []) + toc.get("chapters", []))]


def test_there_are_chapters():
    assert len(SOURCES) >= 2


@pytest.mark.parametrize("source", SOURCES, ids=ids(SOURCES))
def test_markdown_and_notebook_are_in_sync_and_clean(source):
    assert project.out_of_sync(source) == [], "run `python -m book sync`"


@pytest.mark.parametrize("source", SOURCES, ids=ids(SOURCES))
def test_pairing_and_kernel_are_declared(source):
    notebook = jupytext.read(source)
    assert notebook.metadata["jupytext"]["formats"] == project.PAIRED_FORMATS
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    # JupyterLab rewrites a display name that differs from the kernel's own, marking an untouched
    # chapter as modified as soon as it opens.
    assert notebook.metadata["kernelspec"]["display_name"] == INSTALLED_KERNEL_NAME


@pytest.mark.parametrize("path", LAB_NOTEBOOKS, ids=ids(LAB_NOTEBOOKS))
def test_lab_notebooks_name_the_installed_kernel(path):
    kernelspec = nbformat.read(path, as_version=4).metadata["kernelspec"]
    assert (kernelspec["name"], kernelspec["display_name"]) == ("python3", INSTALLED_KERNEL_NAME)


@pytest.mark.parametrize("source", SOURCES, ids=ids(SOURCES))
def test_first_code_cell_imports_book_first_and_seeds(source):
    code = [cell.source for cell in jupytext.read(source).cells if cell.cell_type == "code"]
    first = code[0]
    assert "import book" in first, "import book before anything else: it quiets framework logs"
    for framework in ("import torch", "import tensorflow"):
        if framework in first:
            assert first.index("import book") < first.index(framework)
    assert "book.seed_all(" in first


@pytest.mark.parametrize("source", SOURCES, ids=ids(SOURCES))
def test_every_chapter_asserts_what_it_teaches(source):
    code = "\n".join(cell.source for cell in jupytext.read(source).cells if cell.cell_type == "code")
    assert code.count("assert") >= 3


def test_table_of_contents_lists_every_chapter_and_only_existing_files():
    listed = toc_files()
    for entry in listed:
        candidates = [ROOT / f"{entry}{suffix}" for suffix in ("", ".md", ".ipynb")]
        assert any(path.is_file() for path in candidates), f"_toc.yml lists a missing file: {entry}"
    chapters = {str(project.paired_notebook(source).relative_to(ROOT).with_suffix("")) for source in SOURCES}
    assert chapters <= set(listed), f"chapters missing from _toc.yml: {sorted(chapters - set(listed))}"


def test_build_and_test_run_give_a_cell_the_same_time_before_calling_it_hung():
    addopts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["addopts"]
    assert f"--nbval-cell-timeout={project.cell_timeout()}" in addopts.split()
    assert project.cell_timeout() >= 600, "a hang guard, not a speed limit: the slowest cell has taken over 300 s"


def test_part_folders_are_numbered():
    for source in SOURCES:
        part = source.relative_to(project.CHAPTERS).parts[0]
        assert part[:2].isdigit() and part[2] == "_", f"{part}: part folders are named NN_topic"
