"""The book's command line: ``python -m book {sync,build,pdf,bench,labs,grade}``.

``./textbook`` wraps it with the set-up steps (virtual environment, packages, data).
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

import yaml

from . import grading, project

__all__ = ["main"]


def sync(check: bool, only: list[str] | None = None) -> int:
    """Write each chapter's ``.ipynb`` from its markdown (or, with ``check``, only report drift).

    ``only`` limits the work to sources whose path contains one of the given strings.
    """
    import jupytext

    drifted = 0
    sources = [path for path in project.chapter_sources() if not only or any(part in str(path) for part in only)]
    for source in sources:
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
        if project.paired_notebook(source).exists():
            _keep_cell_ids(notebook, jupytext.read(project.paired_notebook(source)))
        jupytext.write(notebook, project.paired_notebook(source), fmt="ipynb")
        print(f"wrote {project.paired_notebook(source).relative_to(project.ROOT)}")
    if check and drifted:
        print(f"{drifted} notebook(s) out of sync: run `python -m book sync`.")
        return 1
    return 0


def _keep_cell_ids(notebook, previous) -> None:
    """Give the regenerated notebook's cells the ids they had in ``previous``: cells left as they
    were, and edited cells in place of as many edited ones, so that a sync changes only the cells
    whose text changed (jupytext would give every cell a new random id)."""
    before = [(cell.cell_type, cell.source) for cell in previous.cells]
    after = [(cell.cell_type, cell.source) for cell in notebook.cells]
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and old_end - old_start == new_end - new_start):
            for old, new in zip(range(old_start, old_end), range(new_start, new_end)):
                if "id" in previous.cells[old]:
                    notebook.cells[new]["id"] = previous.cells[old]["id"]


def repository_url() -> str | None:
    """The web address of the clone's ``origin`` remote, if it has one."""
    try:
        remote = subprocess.run(["git", "remote", "get-url", "origin"], cwd=project.ROOT, capture_output=True,
                                text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    ssh = re.fullmatch(r"(?:ssh://)?git@([^:/]+)[:/](.+?)(?:\.git)?/?", remote)
    if ssh:
        return f"https://{ssh.group(1)}/{ssh.group(2)}"
    web = re.fullmatch(r"(https://.+?)(?:\.git)?/?", remote)
    return web.group(1) if web else None


def site_config(execute: bool, only: Sequence[Path] = ()) -> Path:
    """A copy of ``_config.yml`` for this build: notebook execution switched off unless
    ``execute`` (and then, given ``only``, every notebook but those left as they are), and the
    repository's address taken from the clone (see ``repository_url``)."""
    settings = yaml.safe_load((project.ROOT / "_config.yml").read_text(encoding="utf-8"))
    if not execute:
        settings.setdefault("execute", {})["execute_notebooks"] = "off"
    elif only:
        wanted = {Path(path).resolve() for path in only}
        settings["execute"]["exclude_patterns"] = [*settings["execute"].get("exclude_patterns", []), *(
            str(path.relative_to(project.ROOT)) for path in project.executed_notebooks() if path.resolve() not in wanted)]
    url = repository_url()
    if url:
        settings.setdefault("repository", {})["url"] = url
    else:  # buttons that would point nowhere are left out
        settings["html"].update(use_repository_button=False, use_issues_button=False)
        settings["launch_buttons"]["binderhub_url"] = ""
    copy = Path(tempfile.mkdtemp(prefix="book-config-")) / "_config.yml"
    copy.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return copy


def build(execute: bool, output: Path | None, strict: bool, only_execute: Sequence[Path] = (),
          builder: str = "html") -> int:
    """Build the static site with Jupyter Book (executing notebooks, with a cache, by default;
    ``only_execute`` names the notebooks to execute when not all of them). ``builder`` "singlehtml"
    writes the whole book as one page (what ``pdf`` prints)."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    command = [str(jupyter_book), "build", str(project.ROOT),
               "--config", str(site_config(execute, only_execute)), "--builder", builder]
    if output is not None:
        command += ["--path-output", str(output)]
    if strict:
        command += ["--warningiserror", "--keep-going"]
    # Kernels started by the build draw no transient progress bars (book.train), and draw their
    # figures into the page (inline), whatever matplotlib backend the caller chose for itself.
    env = {name: value for name, value in os.environ.items() if name != "MPLBACKEND"}
    folder = (output or project.ROOT) / "_build" / builder
    failed = []
    with subprocess.Popen(command, cwd=project.ROOT, env={**env, "BOOK_BUILDING_SITE": "1"}, text=True,
                          errors="replace", stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as process:
        for line in process.stdout:  # shown as it comes, and read for notebooks that failed
            print(line, end="", flush=True)
            plain = re.sub(r"\x1b\[[0-9;]*m", "", line)  # without its colours
            failure = re.search(r"(\S+\.ipynb): WARNING: Executing notebook failed", plain)
            if failure:
                failed.append(failure.group(1))
    status = process.returncode
    for notebook in failed:
        print(f"\n{notebook} failed to execute (its traceback is above), and the build stopped there. "
              "The notebooks executed before it are cached: they will not run again.", file=sys.stderr)
    if status == 0 and builder == "html":
        print(f"\nThe book is built. Open {folder / 'index.html'} in a browser.")
    return status


def pdf(output: Path | None, execute: bool = True, only_execute: Sequence[Path] = ()) -> Path:
    """The whole book as one PDF: Jupyter Book's one-page HTML, printed by headless Chromium once
    its formulas are typeset and its figures loaded. Returns the PDF's path."""
    from . import site

    root = output or project.ROOT
    if build(execute, output, strict=False, only_execute=only_execute, builder="singlehtml") != 0:
        raise SystemExit("the one-page build of the book failed (see above)")
    target = root / "_build" / "pdf" / "book.pdf"
    # The one page is named after the book's root document (index.html only redirects to it).
    first = yaml.safe_load((project.ROOT / "_toc.yml").read_text(encoding="utf-8"))["root"]
    site.print_pdf(root / "_build" / "singlehtml" / f"{first}.html", target)
    print(f"\nThe book is printed: {target}")
    return target


def bench(pattern: str | None) -> int:
    """Execute every notebook in a fresh kernel and print its wall-clock time and the total."""
    import nbformat
    from nbclient import NotebookClient

    notebooks = [path for path in project.executed_notebooks() if not pattern or pattern in str(path)]
    total = 0.0
    print(f"{'notebook':<70} {'seconds':>8}")
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(notebook, timeout=project.cell_timeout(), kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
        total += seconds
        print(f"{str(path.relative_to(project.ROOT)):<70} {seconds:8.1f}", flush=True)
    print(f"{'total':<70} {total:8.1f}")
    return 0


def labs(check: bool, names: list[str]) -> int:
    """Write each lab's student version from its solution (or, with ``check``, only report drift)."""
    if check:
        problems = grading.check_labs(names or None)
        for problem in problems:
            print(problem)
        if problems:
            print("labs/ is out of sync with solutions/: run `python -m book labs`.")
            return 1
        print("labs/ is in sync with solutions/.")
        return 0
    for name in names or grading.lab_names():
        try:
            folder = grading.generate_labs([name])[0]
        except Exception as error:  # a malformed source, or a lab that does not grade as it should
            print(f"{name}: not generated: {error}", file=sys.stderr)
            return 1
        print(f"wrote {folder.relative_to(project.ROOT)}")
    return 0


def grade(submissions: Path, output: Path, timeout: float, lab: str | None, sandbox: bool = True,
          jobs: int | None = None, memory_gib: float | None = None) -> int:
    """Grade a folder of submitted notebooks: a gradebook CSV and one feedback file per student."""
    limits = grading.Limits() if memory_gib is None else grading.Limits(memory=int(memory_gib * 2**30))
    grading.grade_folder(submissions, output, timeout=timeout, lab=lab, sandbox=sandbox, jobs=jobs, limits=limits,
                         progress=sys.stderr.isatty())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m book", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    sync_parser = commands.add_parser("sync", help="write chapter notebooks from their markdown")
    sync_parser.add_argument("--check", action="store_true", help="only report notebooks out of sync")
    sync_parser.add_argument("only", nargs="*", help="only chapters whose path contains one of these")
    build_parser = commands.add_parser("build", help="build the static site")
    build_parser.add_argument("--no-execute", action="store_true", help="do not run the notebooks")
    build_parser.add_argument("--output", type=Path, help="folder to build into (default: the repository)")
    build_parser.add_argument("--strict", action="store_true", help="fail on any Sphinx warning")
    pdf_parser = commands.add_parser("pdf", help="print the whole book to one PDF (needs chromium)")
    pdf_parser.add_argument("--no-execute", action="store_true", help="do not run the notebooks")
    pdf_parser.add_argument("--output", type=Path, help="folder to build into (default: the repository)")
    bench_parser = commands.add_parser("bench", help="time the execution of every notebook")
    bench_parser.add_argument("pattern", nargs="?", help="only notebooks whose path contains this")
    labs_parser = commands.add_parser("labs", help="write the student versions of the labs from solutions/")
    labs_parser.add_argument("--check", action="store_true", help="only report labs out of sync")
    labs_parser.add_argument("names", nargs="*", help="only these labs (default: all)")
    grade_parser = commands.add_parser("grade", help="grade a folder of submitted lab notebooks")
    grade_parser.add_argument("submissions", type=Path, help="folder of submitted .ipynb files")
    grade_parser.add_argument("--output", type=Path, required=True,
                              help="folder for gradebook.csv and feedback/<student>.md")
    grade_parser.add_argument("--timeout", type=float, default=grading.DEFAULT_TIMEOUT,
                              help="seconds each submission may run, tests included (default: %(default)s)")
    grade_parser.add_argument("--lab", help="the lab (default: read from the notebooks' metadata)")
    grade_parser.add_argument("--jobs", type=int, help="submissions graded at once (default: one per core)")
    grade_parser.add_argument("--memory", type=float, metavar="GIB",
                              help="memory each process of a submission may use, in GiB (default: "
                                   f"{grading.Limits().memory / 2**30:g})")
    grade_parser.add_argument("--unsafe-no-sandbox", action="store_true",
                              help="run students' code with your rights, where bubblewrap cannot be used")
    args = parser.parse_args(argv)
    if args.command == "sync":
        return sync(args.check, args.only)
    if args.command == "build":
        return build(not args.no_execute, args.output, args.strict)
    if args.command == "pdf":
        pdf(args.output, not args.no_execute)
        return 0
    if args.command == "labs":
        return labs(args.check, args.names)
    if args.command == "grade":
        return grade(args.submissions, args.output, args.timeout, args.lab, sandbox=not args.unsafe_no_sandbox,
                     jobs=args.jobs, memory_gib=args.memory)
    return bench(args.pattern)
