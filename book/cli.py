"""The book's command line: ``python -m book {sync,build,bench}``.

``./textbook`` wraps it with the set-up steps (virtual environment, packages, data).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from . import project

__all__ = ["main"]


def sync(check: bool) -> int:
    """Write each chapter's ``.ipynb`` from its markdown (or, with ``check``, only report drift)."""
    import jupytext

    drifted = 0
    for source in project.chapter_sources():
        problems = project.out_of_sync(source)
        if not problems:
            continue
        drifted += 1
        name = source.relative_to(project.ROOT)
        if check:
            print(f"{name}: " + "; ".join(problems))
            continue
        notebook = jupytext.read(source)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        jupytext.write(notebook, project.paired_notebook(source), fmt="ipynb")
        print(f"wrote {project.paired_notebook(source).relative_to(project.ROOT)}")
    if check and drifted:
        print(f"{drifted} notebook(s) out of sync: run `python -m book sync`.")
        return 1
    return 0


def site_config(execute: bool) -> Path:
    """``_config.yml``, or a temporary copy of it with notebook execution switched off."""
    config = project.ROOT / "_config.yml"
    if execute:
        return config
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings.setdefault("execute", {})["execute_notebooks"] = "off"
    copy = Path(tempfile.mkdtemp(prefix="book-config-")) / "_config.yml"
    copy.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return copy


def build(execute: bool, output: Path | None, strict: bool) -> int:
    """Build the static site with Jupyter Book (executing notebooks, with a cache, by default)."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    command = [str(jupyter_book), "build", str(project.ROOT),
               "--config", str(site_config(execute))]
    if output is not None:
        command += ["--path-output", str(output)]
    if strict:
        command += ["--warningiserror", "--keep-going"]
    status = subprocess.call(command, cwd=project.ROOT)
    html = (output or project.ROOT) / "_build" / "html" / "index.html"
    if status == 0:
        print(f"\nThe book is built. Open {html} in a browser.")
    return status


def bench(pattern: str | None) -> int:
    """Execute every notebook in a fresh kernel and print its wall-clock time and the total."""
    import nbformat
    from nbclient import NotebookClient

    notebooks = [path for path in project.executed_notebooks() if not pattern or pattern in str(path)]
    total = 0.0
    print(f"{'notebook':<70} {'seconds':>8}")
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
        total += seconds
        print(f"{str(path.relative_to(project.ROOT)):<70} {seconds:8.1f}", flush=True)
    print(f"{'total':<70} {total:8.1f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m book", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    sync_parser = commands.add_parser("sync", help="write chapter notebooks from their markdown")
    sync_parser.add_argument("--check", action="store_true", help="only report notebooks out of sync")
    build_parser = commands.add_parser("build", help="build the static site")
    build_parser.add_argument("--no-execute", action="store_true", help="do not run the notebooks")
    build_parser.add_argument("--output", type=Path, help="folder to build into (default: the repository)")
    build_parser.add_argument("--strict", action="store_true", help="fail on any Sphinx warning")
    bench_parser = commands.add_parser("bench", help="time the execution of every notebook")
    bench_parser.add_argument("pattern", nargs="?", help="only notebooks whose path contains this")
    args = parser.parse_args(argv)
    if args.command == "sync":
        return sync(args.check)
    if args.command == "build":
        return build(not args.no_execute, args.output, args.strict)
    return bench(args.pattern)
