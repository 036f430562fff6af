"""The static site builds offline with Jupyter Book 1, free of warnings, and works with no network.

The build executes two chapters (one with a widget, one that trains with progress bars) and
leaves the others unexecuted: nbval executes every notebook in the same test run, and the full
build with execution is `./textbook build`. Headless Chromium then opens every page with every
request outside the local server blocked.
"""

import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from book import cli, project
from book.site import served

# A chapter with formulas and figures, and one that trains with progress bars (widgets). (Not the
# chapter the JupyterLab test runs: executed by two kernels at the same time, it once stalled.)
EXECUTED = [project.ROOT / "chapters/02_neural_networks/perceptrons_and_mlps.ipynb",
            project.ROOT / "chapters/01_introduction/what_is_deep_learning.ipynb"]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = project.ROOT / "_build" / "test-artifacts"
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                    reason="needs Debian's chromium (apt-get install chromium)")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site built here, or the one ``BOOK_SITE`` names (e.g. ``_build/html`` after ``./textbook
    build``, to check the fully executed site)."""
    if os.environ.get("BOOK_SITE"):
        return Path(os.environ["BOOK_SITE"]).resolve()
    output = tmp_path_factory.mktemp("site")
    status = cli.build(execute=True, output=output, strict=True, only_execute=EXECUTED)
    assert status == 0, "the site build failed or warned (see the Sphinx output above)"
    return output / "_build" / "html"


def pages(site: Path) -> list[Path]:
    """Every page of the site (Sphinx's own index and search pages included)."""
    return sorted(path for path in site.rglob("*.html") if "_static" not in path.parts and "_sources" not in path.parts)


def test_every_chapter_has_a_page(site):
    for source in project.chapter_sources():
        page = site / project.paired_notebook(source).relative_to(project.ROOT).with_suffix(".html")
        assert page.is_file(), f"no page for {source.name}"


def test_front_page_links_every_part(site):
    assert "preface.html" in (site / "index.html").read_text(encoding="utf-8")
    html = (site / "preface.html").read_text(encoding="utf-8")
    for caption in ("Part I", "Part II", "Part IV", "Part V", "Part VI", "Part VII", "Part VIII", "Glossary"):
        assert caption in html


def test_labs_sit_next_to_their_chapters():
    """Each lab is in the part of the chapters it exercises, after one of them."""
    parts = yaml.safe_load((project.ROOT / "_toc.yml").read_text(encoding="utf-8"))["parts"]
    placed = {}
    for part in parts:
        files = [entry["file"] for entry in part["chapters"]]
        for index, file in enumerate(files):
            if re.fullmatch(r"labs/\w+/\w+", file):
                assert part["caption"].startswith("Part ") and any(f.startswith("chapters/") for f in files[:index]), \
                    f"{file} does not follow a chapter of its part"
                placed[file] = part["caption"]
    for lab in (project.ROOT / "labs").glob("*/*.ipynb"):
        assert f"labs/{lab.parent.name}/{lab.stem}" in placed, f"{lab.stem} is not in the table of contents"


def test_pages_have_a_download_button_and_no_address_made_up(site):
    page = (site / "chapters/02_neural_networks/perceptrons_and_mlps.html").read_text(encoding="utf-8")
    assert "_sources/chapters/02_neural_networks/perceptrons_and_mlps.ipynb" in page  # served by the site itself
    assert "dl-executed" not in page and "github.com/executablebooks" not in page


def test_nothing_is_fetched_from_elsewhere(site):
    """No page names a script, style or font on another host (links to read elsewhere are fine)."""
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        assert not re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="(?:https?:)?//', html), page.name
    for asset in (site / "_static").rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", asset.read_text(encoding="utf-8", errors="replace")), asset


def test_widget_state_only_for_widgets_shown(site):
    """Widget state in a page is exactly what its widget outputs need: none for removed outputs."""
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        views = set(re.findall(r'"model_id": "([0-9a-f]{32})"', html))
        state = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', html, re.S)
        if not views:
            assert state is None and "html-manager/embed.js" not in html, page.name
            continue
        models = json.loads(state.group(1).replace("<\\/", "</"))["state"]
        assert views <= set(models), f"{page.name}: a widget output without its state"
        reachable, waiting = set(), list(views)
        while waiting:  # the models the outputs show, and those they refer to
            model = waiting.pop()
            if model not in reachable:
                reachable.add(model)
                waiting += re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps(models.get(model, {})))
        assert set(models) == reachable, f"{page.name}: state for {len(set(models) - reachable)} models not shown"


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name"):
            if attrs.get(name):
                self.ids.add(attrs[name])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def test_every_internal_link_and_anchor_resolves(site):
    parsed = {}

    def parse(page: Path) -> _Anchors:
        if page not in parsed:
            parsed[page] = _Anchors()
            parsed[page].feed(page.read_text(encoding="utf-8"))
        return parsed[page]

    broken = []
    for page in pages(site):
        for link in parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("//", "mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {link} (no such file)")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in parse(target).ids:
                broken.append(f"{page.relative_to(site)}: {link} (no such anchor)")
    assert not broken, "\n".join(broken[:30])


# Before the browser tests below: Playwright's sync API runs one browser session at a time.
@needs_chromium
def test_the_book_prints_to_one_pdf_with_its_figures_and_formulas(site):
    figures = sum(len(re.findall(r"<img ", (site / path.relative_to(project.ROOT)).with_suffix(".html")
                                 .read_text(encoding="utf-8"))) for path in EXECUTED)
    assert figures >= 5, "the executed chapters' figures are missing from the site"
    target = cli.pdf(site.parent.parent, execute=True, only_execute=EXECUTED)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) > 300
    fonts = set(re.findall(rb"/FontName\s*/\w+\+([\w-]+)", data))
    assert {b"MathJax_Main-Regular", b"MathJax_Math-Italic"} <= fonts, "formulas were not typeset"
    assert len(re.findall(rb"/Subtype\s*/Image", data)) >= figures


# --- in a browser, offline ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(site):
    with served(site) as address:
        yield address


@pytest.fixture(scope="module")
def browser_page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1300, "height": 900})
        # Nothing outside the local server: the site must work offline.
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
                      else route.abort())
        yield context.new_page()
        browser.close()


# What each page must show once loaded: math typeset, images decoded, widgets drawn.
_PAGE_STATE = """async () => {
  if (window.MathJax && MathJax.startup) { await MathJax.startup.promise; }
  const images = [...document.images];
  await Promise.all(images.map(image => image.decode().catch(() => null)));
  const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
  for (let i = 0; i < 100 && document.querySelectorAll('.jupyter-widgets').length < views; i++) {
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  await document.fonts.ready;
  // The prose of the page: code may well hold a backslash and a bracket.
  const prose = (document.querySelector('main') || document.body).cloneNode(true);
  prose.querySelectorAll('pre, code, script, style, mjx-container').forEach(element => element.remove());
  return {
    math: document.querySelectorAll('.math').length,
    typeset: [...document.querySelectorAll('.math')].filter(e => e.querySelector('mjx-container')).length,
    rawTeX: /\\\\\\(|\\\\\\[|\\$\\$/.test(prose.textContent),
    brokenImages: images.filter(image => !(image.complete && image.naturalWidth > 0)).map(image => image.src),
    views: views,
    widgets: document.querySelectorAll('.jupyter-widgets').length,
  };
}"""


@needs_chromium
def test_every_page_works_offline(site, server, browser_page):
    page = browser_page
    problems, errors, failed = [], [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    widgets_seen = 0
    for path in pages(site):
        name = str(path.relative_to(site))
        if 'http-equiv="Refresh"' in path.read_text(encoding="utf-8"):
            continue  # index.html only sends the browser on to the preface
        errors.clear()
        failed.clear()
        page.goto(f"{server}/{name}", wait_until="load")
        state = page.evaluate(_PAGE_STATE)
        widgets_seen += state["widgets"]
        if errors:
            problems.append(f"{name}: console errors {errors[:3]}")
        if failed:
            problems.append(f"{name}: failed requests {failed[:3]}")
        if state["typeset"] < state["math"] or state["rawTeX"]:
            problems.append(f"{name}: {state['math'] - state['typeset']} of {state['math']} formulas not typeset"
                            + (", raw TeX in the text" if state["rawTeX"] else ""))
        if state["brokenImages"]:
            problems.append(f"{name}: images not loaded {state['brokenImages'][:3]}")
        if state["widgets"] < state["views"]:
            problems.append(f"{name}: {state['views'] - state['widgets']} of {state['views']} widgets not drawn")
    assert not problems, "\n".join(problems)
    assert widgets_seen > 0, "the executed chapters' widgets were not found"


@needs_chromium
def test_a_chapter_looks_right(server, browser_page):
    """A screenshot of a chapter with formulas and figures, kept as a test artifact."""
    page = browser_page
    page.goto(f"{server}/chapters/02_neural_networks/perceptrons_and_mlps.html", wait_until="load")
    page.evaluate(_PAGE_STATE)
    assert page.locator("mjx-container").count() > 10 and page.locator("main img").count() > 3
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("main img").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "perceptrons_and_mlps.png"), full_page=False)
    assert (ARTIFACTS / "perceptrons_and_mlps.png").stat().st_size > 20_000


@needs_chromium
@pytest.mark.parametrize("term", ["gradient", "卷积"])
def test_search_finds_english_and_chinese_terms(server, browser_page, term):
    page = browser_page
    page.goto(f"{server}/search.html?q={term}", wait_until="load")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=30_000)
    assert results.count() >= 3



def test_widget_state_is_cut_to_what_the_outputs_show():
    from book.site import _shown_widget_state

    ids = [f"{n:032x}" for n in range(4)]
    state = {"version_major": 2, "state": {
        ids[0]: {"model_name": "HBoxModel", "state": {"children": [f"IPY_MODEL_{ids[1]}"]}},
        ids[1]: {"model_name": "FloatProgressModel", "state": {"style": f"IPY_MODEL_{ids[2]}"}},
        ids[2]: {"model_name": "ProgressStyleModel", "state": {}},
        ids[3]: {"model_name": "HBoxModel", "state": {}},  # a bar whose output was removed
    }}
    shown = _shown_widget_state(state, f'<script type="x">{{"model_id": "{ids[0]}"}}</script>')
    assert set(shown["state"]) == set(ids[:3]) and shown["version_major"] == 2
    assert _shown_widget_state(state, "no widget here")["state"] == {}


def test_the_build_stops_when_the_offline_assets_are_missing(tmp_path, monkeypatch):
    from sphinx.errors import ConfigError

    from book import site

    monkeypatch.setattr(site, "ASSETS_DIR", tmp_path / "nothing-here")
    assert [asset.package for asset in site.missing_assets()] == ["mathjax", "@jupyter-widgets/html-manager"]
    with pytest.raises(ConfigError, match="offline assets are missing .* run ./textbook setup"):
        site._configure(None, None)


def test_an_asset_whose_digest_differs_is_refused(monkeypatch):
    import io

    from book import site

    monkeypatch.setattr(site.urllib.request, "urlopen", lambda url, timeout: io.BytesIO(b"not the package"))
    with pytest.raises(ValueError, match="checksum mismatch"):
        site._checked_tarball(site.ASSETS[0])


def test_a_notebook_that_fails_stops_the_build_and_is_named(tmp_path, monkeypatch, capfd):
    """A chapter that raises must not become a published page ending in a traceback."""
    import nbformat

    for name in ("_config.yml", "references.bib"):
        shutil.copy(project.ROOT / name, tmp_path / name)
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n- file: chapters/01_x/broken\n")
    (tmp_path / "intro.md").write_text("# Intro\n")
    chapter = tmp_path / "chapters" / "01_x"
    chapter.mkdir(parents=True)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Broken"),
                                               nbformat.v4.new_code_cell("1 / 0")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(notebook, chapter / "broken.ipynb")
    monkeypatch.setattr(project, "ROOT", tmp_path)
    monkeypatch.setattr(project, "executed_notebooks", lambda: [chapter / "broken.ipynb"])

    assert cli.build(execute=True, output=None, strict=False) != 0
    printed = capfd.readouterr()
    assert "ZeroDivisionError" in printed.out and "The book is built" not in printed.out
    assert f"{chapter / 'broken.ipynb'} failed to execute" in printed.err
    assert not (tmp_path / "_build" / "html" / "chapters" / "01_x" / "broken.html").exists()
