"""The published site works with no network: what it serves, and the Sphinx extension that wires it.

Jupyter Book's pages load MathJax, require.js and the widget manager from public CDNs. Here they
come from the site itself: set-up fetches pinned npm packages once, checks them against the
registry's sha512 digests, and keeps the files the pages use (``python -m book.site``); the build
(``book.site`` is a Sphinx extension) serves them, and fails with a clear message when they are
missing. The extension also drops what a page does not need: a second copy of sphinx-thebe's
configuration script, and the state of widgets whose outputs are not shown.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import http.server
import io
import json
import re
import shutil
import sys
import tarfile
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ASSETS_DIR = Path(sys.prefix) / "share" / "book-site"
"""Where set-up keeps the site's scripts and fonts (with the environment, like the packages)."""

STATIC_DIR = Path(__file__).parent / "site_static"
"""The book's own style sheet for the site."""


@dataclass(frozen=True)
class Asset:
    """An npm package the site serves: which files of its tarball, and where under ``ASSETS_DIR``."""

    package: str
    version: str
    integrity: str  # the registry's "dist.integrity": sha512 of the tarball, base64
    keep: str  # a regular expression on paths inside the tarball ("package/..." removed)
    folder: str

    @property
    def url(self) -> str:
        return f"https://registry.npmjs.org/{self.package}/-/{self.package.split('/')[-1]}-{self.version}.tgz"

    @property
    def stamp(self) -> Path:
        return ASSETS_DIR / self.folder / ".fetched"


ASSETS = (
    # MathJax 3: the TeX-and-MathML-to-HTML component, the fonts and the TeX extensions it loads
    # on demand, and the accessibility and menu parts it may load.
    Asset("mathjax", "3.2.2",
          "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
          r"es5/(tex-mml-chtml\.js|output/chtml/fonts/.*|input/tex/extensions/.*|a11y/.*|ui/.*|sre/.*)",
          "mathjax"),
    # The ipywidgets manager for static pages, in its build that needs no require.js.
    Asset("@jupyter-widgets/html-manager", "1.0.6",
          "sha512-+Mn+Ra8wyIHrYaUpfmf9A3dsLkt/NuwzPQN8sthdxBD35VV5cOJbpmgMhNR27n/rmP3mKyEe0PWCJrtZrXTXDQ==",
          r"dist/(?!.*amd)[^/]+\.(js|woff2?|ttf|eot|svg)", "html-manager"),
)

MATHJAX_PATH = "mathjax/tex-mml-chtml.js"
WIDGETS_PATH = "html-manager/embed.js"


def missing_assets() -> list[Asset]:
    """The assets not in place, or not those pinned here."""
    def in_place(asset: Asset) -> bool:
        return asset.stamp.is_file() and asset.stamp.read_text().strip() == asset.integrity

    return [asset for asset in ASSETS if not in_place(asset)]


def _checked_tarball(asset: Asset) -> bytes:
    with urllib.request.urlopen(asset.url, timeout=120) as response:
        data = response.read()
    algorithm, expected = asset.integrity.split("-", 1)
    digest = base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")
    if digest != expected:
        raise ValueError(f"{asset.url}: checksum mismatch ({algorithm} {digest}, expected {expected})")
    return data


def fetch_assets(log=print) -> None:
    """Download, check and unpack every asset not already in place."""
    for asset in ASSETS:
        if asset not in missing_assets():
            continue
        log(f"fetching {asset.package}@{asset.version} for the site")
        data = _checked_tarball(asset)
        target = ASSETS_DIR / asset.folder
        shutil.rmtree(target, ignore_errors=True)
        keep = re.compile(asset.keep)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive.getmembers():
                inside = member.name.split("/", 1)[1] if "/" in member.name else ""
                if not member.isfile() or not keep.fullmatch(inside):
                    continue
                # Paths drop their first folder below the package (es5/, dist/): the site serves
                # mathjax/tex-mml-chtml.js, html-manager/embed.js.
                path = target / inside.split("/", 1)[1]
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(archive.extractfile(member).read())
        asset.stamp.write_text(asset.integrity + "\n")


# --- the PDF -----------------------------------------------------------------------------------------

def chromium() -> str:
    """Debian's Chromium, which prints the PDF (and runs the browser tests)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise SystemExit("printing the book needs Chromium: apt-get install chromium (./textbook setup does)")
    return found


@contextlib.contextmanager
def served(folder: Path):
    """A web server for ``folder`` on 127.0.0.1 while the block runs; yields its address. (Pages
    opened as files cannot use their web fonts: Chromium treats each file as another origin.)"""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def print_pdf(page: Path, target: Path) -> None:
    """Print a built page to ``target`` with headless Chromium, offline (every request outside the
    site's own server is refused), once MathJax has typeset it and every image and font is loaded."""
    from playwright.sync_api import sync_playwright

    target.parent.mkdir(parents=True, exist_ok=True)
    with served(page.parent) as address, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        context = browser.new_context()
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(address)
                      else route.abort())
        tab = context.new_page()
        tab.goto(f"{address}/{page.name}", wait_until="load", timeout=600_000)
        tab.evaluate("""async () => {
            if (window.MathJax && MathJax.startup) { await MathJax.startup.promise; }
            await Promise.all([...document.images].map(image => image.decode().catch(() => null)));
            await document.fonts.ready;
        }""")
        tab.pdf(path=str(target), format="A4", print_background=True,
                margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"})
        browser.close()


# --- the Sphinx extension ---------------------------------------------------------------------------

def _configure(app, config) -> None:
    missing = missing_assets()
    if missing:
        from sphinx.errors import ConfigError

        names = ", ".join(f"{asset.package}@{asset.version}" for asset in missing)
        raise ConfigError(f"the site's offline assets are missing ({names} in {ASSETS_DIR}): run "
                          "./textbook setup, or .venv/bin/python -m book.site, with access to the npm registry")
    config.html_static_path = [*config.html_static_path, str(ASSETS_DIR), str(STATIC_DIR)]
    config.mathjax_path = MATHJAX_PATH
    # The theme reads its colour mode from here; left empty, every first visit logs an error.
    config.html_context = {"default_mode": "auto", **config.html_context}
    config.nb_ipywidgets_js = {WIDGETS_PATH: {}}
    app.add_css_file("book.css")


_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_MODEL_REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]{32})")


def _shown_widget_state(state: dict, body: str) -> dict:
    """The part of a widget state that the page's outputs show: the models of its views, and every
    model those refer to (a progress bar's layout and style, a box's children)."""
    models = state.get("state", {})
    wanted = set(re.findall(r'"model_id": "([0-9a-f]{32})"', body))
    waiting = list(wanted)
    while waiting:
        for reference in _MODEL_REFERENCE.findall(json.dumps(models.get(waiting.pop(), {}))):
            if reference not in wanted:
                wanted.add(reference)
                waiting.append(reference)
    return {**state, "state": {model: models[model] for model in models if model in wanted}}


def _page_scripts(app, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Each script once, and widget state only for the widgets the page shows (none: no widget
    manager either)."""
    scripts, seen = [], set()
    for script in context.get("script_files", []):
        # sphinx-thebe adds its configuration twice, once with no file name and once with ''.
        key = (str(script.filename or ""), script.priority, json.dumps(script.attributes, sort_keys=True))
        if key in seen:
            continue
        seen.add(key)
        scripts.append(script)
    body = context.get("body", "")
    for script in scripts:
        if script.attributes.get("type") == _WIDGET_STATE:
            shown = _shown_widget_state(json.loads(script.attributes["body"]), body)
            if shown["state"]:
                script.attributes["body"] = json.dumps(shown).replace("</", "<\\/")
            else:
                scripts = [s for s in scripts if s is not script and not str(s.filename).endswith(WIDGETS_PATH)]
            break
    context["script_files"] = scripts


def setup(app) -> dict:
    app.connect("config-inited", _configure)
    app.connect("html-page-context", _page_scripts, priority=900)  # after myst-nb adds its scripts
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    fetch_assets()
    print(f"site assets in {ASSETS_DIR}")
