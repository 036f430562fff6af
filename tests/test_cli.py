"""The command line: sync finds drift, bench times a notebook."""

import shutil

import jupytext
import nbformat
import pytest

from book import cli, project


def test_sync_check_passes_on_the_repository(capsys):
    assert cli.main(["sync", "--check"]) == 0


def test_sync_check_reports_a_drifted_notebook(tmp_path, monkeypatch):
    chapters = tmp_path / "chapters" / "01_part"
    chapters.mkdir(parents=True)
    source = project.chapter_sources()[0]
    shutil.copy(source, chapters / "x.md")
    notebook = jupytext.read(source)
    notebook.cells[1].source += "\n# edited in the notebook only"
    nbformat.write(notebook, chapters / "x.ipynb")
    monkeypatch.setattr(project, "CHAPTERS", tmp_path / "chapters")
    monkeypatch.setattr(project, "ROOT", tmp_path)
    assert cli.sync(check=True) == 1
    assert cli.sync(check=False) == 0 and project.out_of_sync(chapters / "x.md") == []


def test_sync_keeps_the_ids_of_cells_it_does_not_change(tmp_path, monkeypatch):
    chapters = tmp_path / "chapters" / "01_part"
    chapters.mkdir(parents=True)
    source = chapters / "x.md"
    shutil.copy(project.chapter_sources()[0], source)
    monkeypatch.setattr(project, "CHAPTERS", tmp_path / "chapters")
    monkeypatch.setattr(project, "ROOT", tmp_path)
    assert cli.sync(check=False) == 0
    before = [cell.id for cell in nbformat.read(chapters / "x.ipynb", as_version=4).cells]
    notebook = jupytext.read(source)
    notebook.cells[2].source += "\n# edited"
    notebook.cells.insert(5, nbformat.v4.new_code_cell("inserted = True"))
    del notebook.cells[9]  # what was cell 8
    jupytext.write(notebook, source, fmt="md:myst")
    assert cli.sync(check=False) == 0 and project.out_of_sync(source) == []
    after = [cell.id for cell in nbformat.read(chapters / "x.ipynb", as_version=4).cells]
    assert after[:5] == before[:5] and after[6:9] == before[5:8] and after[9:] == before[9:]
    assert after[5] not in before and len(set(after)) == len(after)


def test_a_differing_kernelspec_is_drift(tmp_path):
    source = tmp_path / "x.md"
    shutil.copy(project.chapter_sources()[0], source)
    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"]["display_name"] = "Python 3"
    nbformat.write(notebook, tmp_path / "x.ipynb")
    assert project.out_of_sync(source) == ["the kernelspec differs"]


def test_bench_times_each_notebook_and_prints_a_total(tmp_path, monkeypatch, capsys):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1 + 1")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "tiny.ipynb"
    nbformat.write(notebook, path)
    monkeypatch.setattr(project, "ROOT", tmp_path)
    monkeypatch.setattr(project, "executed_notebooks", lambda: [path])
    monkeypatch.setattr(project, "cell_timeout", lambda: 60)  # tmp_path has no _config.yml
    assert cli.main(["bench"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("tiny.ipynb") and lines[-1].startswith("total")
    assert float(lines[-1].split()[-1]) > 0


def test_unknown_command_is_refused():
    with pytest.raises(SystemExit):
        cli.main(["publish"])
