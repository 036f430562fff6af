"""The static site builds offline with Jupyter Book 1, free of warnings.

Notebooks are not executed here (nbval executes them in the same test run); the full build with
execution is `./textbook build`.
"""

import re

import pytest

from book import cli, project


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    output = tmp_path_factory.mktemp("site")
    status = cli.build(execute=False, output=output, strict=True)
    assert status == 0, "the site build failed or warned (see the Sphinx output above)"
    return output / "_build" / "html"


def test_every_chapter_has_a_page(site):
    for source in project.chapter_sources():
        page = site / project.paired_notebook(source).relative_to(project.ROOT).with_suffix(".html")
        assert page.is_file(), f"no page for {source.name}"


def test_front_page_links_every_part(site):
    assert "preface.html" in (site / "index.html").read_text(encoding="utf-8")
    html = (site / "preface.html").read_text(encoding="utf-8")
    for caption in ("Part I", "Part II", "Part IV", "Part V", "Part VI", "Part VII", "Part VIII", "Glossary"):
        assert caption in html


def test_pages_have_launch_and_download_buttons(site):
    page = next(site.rglob("perceptrons_and_mlps.html")).read_text(encoding="utf-8")
    assert "download" in page.lower()
    assert re.search(r"binder|launch", page, re.IGNORECASE)
