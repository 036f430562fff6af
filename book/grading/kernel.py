"""The student's kernel, and proxies for the values that live in it.

Each submission runs in its own Jupyter kernel, in a bubblewrap sandbox (``sandbox_command``),
under a time limit; the tests run in the grader's
own process, which never runs student code. Student values reach the tests through
``RemoteValue`` proxies: attribute access, calls, indexing and iteration are carried out in the
student's kernel, and only plain data (numbers, strings, lists, dicts and numeric arrays, decoded
without pickle) comes back to be compared. The expected values never enter the student's kernel.
"""

from __future__ import annotations

import base64
import collections
import io
import json
import os
import queue
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np


# Defined in the student's kernel after the submission has run. Whatever a submission does to its
# own kernel can only change the data this function sends back, never how the data is judged.
SERVE_SOURCE = r'''
def __book_grading_serve__(request, reply_path):
    import base64, io, json
    import numpy
    objects = __book_grading_serve__.objects

    def decode(item):
        kind, value = item
        if kind == "ref":
            return objects[value]
        if kind == "value":
            return value
        if kind == "array":
            return numpy.load(io.BytesIO(base64.b64decode(value)), allow_pickle=False)
        if kind == "list":
            return [decode(v) for v in value]
        if kind == "tuple":
            return tuple(decode(v) for v in value)
        if kind == "dict":
            return {decode(k): decode(v) for k, v in value}
        raise ValueError(kind)

    def keep(obj):
        objects.append(obj)
        return ["ref", len(objects) - 1]

    def data(obj):
        if obj is None or isinstance(obj, (bool, int, float, str)):
            return ["value", obj]
        if isinstance(obj, (list, tuple)):
            return ["list" if isinstance(obj, list) else "tuple", [data(v) for v in obj]]
        if isinstance(obj, dict):
            return ["dict", [[data(k), data(v)] for k, v in obj.items()]]
        array = numpy.asarray(obj)
        if array.dtype.kind not in "biufcU":
            raise TypeError(f"a {type(obj).__name__} is not data (numbers, strings, arrays)")
        buffer = io.BytesIO()
        numpy.save(buffer, array, allow_pickle=False)
        return ["array", base64.b64encode(buffer.getvalue()).decode("ascii")]

    op, args = json.loads(request)
    try:
        if op == "globals":
            hidden = {"In", "Out", "get_ipython", "exit", "quit", "open"}
            names = [n for n in list(globals()) if not n.startswith("_") and n not in hidden]
            result = ["value", {n: keep(globals()[n])[1] for n in names}]
        elif op == "getattr":
            result = keep(getattr(objects[args[0]], args[1]))
        elif op == "getitem":
            result = keep(objects[args[0]][decode(args[1])])
        elif op == "call":
            result = keep(objects[args[0]](*decode(args[1]), **decode(args[2])))
        elif op == "iter":
            result = ["value", [keep(v)[1] for v in objects[args[0]]]]
        elif op == "len":
            result = ["value", len(objects[args[0]])]
        elif op == "str":
            result = ["value", str(objects[args[0]])]
        elif op == "data":
            result = data(objects[args[0]])
        else:
            raise ValueError(op)
        reply = {"ok": result}
    except Exception as error:
        reply = {"error": f"{type(error).__name__}: {error}"}
    with open(reply_path, "w") as handle:
        json.dump(reply, handle)

__book_grading_serve__.objects = []
'''


class GradingError(Exception):
    """The student's kernel could not answer: an error there, a dead kernel, or no time left."""


class TimeLimit(GradingError):
    pass


# What a kernel needs of the environment: the variables, and the system's read-only folders.
_KERNEL_ENV = {"MPLBACKEND": "Agg", "BOOK_DOWNLOAD": "0", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
_SYSTEM_FOLDERS = ("/usr", "/etc")


@dataclass(frozen=True)
class Limits:
    """What one submission may use. ``memory``, ``file_size`` and the CPU time (the time limit
    times the cores, see ``StudentKernel``) hold for each of its processes; ``processes`` counts
    its processes and threads together; ``scratch`` is its ``/tmp`` (kept in memory); ``message``
    is the largest message its kernel may send the grader (a larger one is dropped)."""

    memory: int = 8 * 2**30
    processes: int = 512
    file_size: int = 256 * 2**20
    scratch: int = 64 * 2**20
    message: int = 32 * 2**20


class _SandboxUsers:
    """User ids for sandboxes that run at the same time, one each: the kernel's process limit
    counts the processes of its user, so two sandboxes must never share one, in this grader or
    in another running beside it (each grader draws from a block of its own, found from its
    process id). An id comes back into use last, long after the processes of the sandbox that
    had it are gone (a sandbox with hundreds of processes takes a while to vanish once killed)."""

    FIRST = 2**30  # far above the ids of people and of system accounts
    PER_GRADER = 256

    def __init__(self, pid: int):
        first = self.FIRST + pid * self.PER_GRADER
        self.ids = range(first, first + self.PER_GRADER)
        self._free = collections.deque(self.ids)
        self._lock = threading.Lock()

    def take(self) -> int:
        with self._lock:
            if not self._free:
                raise GradingError("too many sandboxes at once")
            return self._free.popleft()

    def give_back(self, uid: int) -> None:
        with self._lock:
            self._free.append(uid)


_SANDBOX_USERS = _SandboxUsers(os.getpid())


def sandbox_problem() -> str | None:
    """Why a sandbox cannot be made here (None when it can): bubblewrap missing or refused, or
    the sandbox's user unable to run this Python."""
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed (apt-get install bubblewrap)"
    with tempfile.TemporaryDirectory(prefix="sandbox-trial-") as folder:
        workdir = Path(folder) / "work"
        workdir.mkdir()
        workdir.chmod(0o777)
        uid = _SANDBOX_USERS.take()
        command = sandbox_command([sys.executable, "-c", "import book, numpy"], workdir=workdir, writable=[],
                                  book_copy=_book_without_grading(Path(folder)), limits=Limits(),
                                  cpu_seconds=60, uid=uid)
        try:
            trial = subprocess.run(command, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"bwrap could not run ({error})"
        finally:
            _SANDBOX_USERS.give_back(uid)
    if trial.returncode != 0:
        return f"bwrap could not run Python in a sandbox here ({trial.stderr.strip()[-500:] or trial.returncode})"
    return None


def _book_without_grading(folder: Path) -> Path:
    """A copy of the ``book`` package without what leads to the labs' solutions and tests."""
    source = Path(__file__).resolve().parent.parent
    target = folder / "book"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("grading", "project.py", "__pycache__"))
    return target


def _traversable_parents(paths: list[Path]) -> list[str]:
    """bubblewrap makes the folders above a mount point private to root; open them to all, so
    that the sandbox's user reaches, say, a Python installed under /root."""
    parents = sorted({str(parent) for path in paths for parent in path.parents if parent != Path("/")},
                     key=lambda name: name.count("/"))
    return [option for parent in parents for option in ("--perms", "0755", "--dir", parent)]


def sandbox_command(command: list[str], *, workdir: Path, writable: list[Path], book_copy: Path,
                    limits: Limits, cpu_seconds: int, uid: int, network: bool = False,
                    env: dict[str, str] | None = None) -> list[str]:
    """``command`` wrapped in bubblewrap: its own PID, mount, network and IPC namespaces; the
    system, Python and the virtual environment read-only; of the repository only a copy of
    ``book`` (no solutions, no grading code); ``writable`` folders and nothing else to write to;
    resource limits (``limits``); killed with everything it started when the grader goes.

    It runs as a user of its own without privileges: ``uid`` when the grader is root (dropped to
    inside the sandbox, so that the process limit counts this sandbox alone), otherwise the
    grader's user mapped to nobody in a user namespace.

    Temporary files go to ``workdir/.tmp``, at the same path inside and out, so that tests can
    read what the notebook saved. ``network`` keeps the host's network (for a lab whose tests
    talk to the student's code over the loopback interface). ``env`` is the kernel's environment
    besides ``PATH``, ``HOME``, ``TMPDIR`` and ``LANG``.
    """
    python_home = Path(sys.base_prefix).resolve()
    venv = Path(sys.prefix).resolve()
    book_folder = Path(__file__).resolve().parent.parent
    scratch = workdir / ".tmp"
    scratch.mkdir(exist_ok=True)
    scratch.chmod(0o777)
    as_root = os.geteuid() == 0
    namespaces = ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                  *([] if network else ["--unshare-net"])]
    if not as_root:
        namespaces += ["--unshare-user", "--uid", "65534", "--gid", "65534"]
    wrapped = ["bwrap", *namespaces, "--die-with-parent", "--new-session",
               "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", str(workdir),
               "--setenv", "TMPDIR", str(scratch), "--setenv", "LANG", "C.UTF-8"]
    variables = {**({"OMP_NUM_THREADS": os.environ["OMP_NUM_THREADS"]} if "OMP_NUM_THREADS" in os.environ else {}),
                 **(_KERNEL_ENV if env is None else env)}
    for name, value in variables.items():
        wrapped += ["--setenv", name, value]
    # /tmp first: the binds below may lie under it (a clone of the repository in /tmp, say).
    wrapped += ["--perms", "1777", "--size", str(limits.scratch), "--tmpfs", "/tmp"]
    for folder in _SYSTEM_FOLDERS:
        wrapped += ["--ro-bind", folder, folder]
    for link, target in (("/lib", "usr/lib"), ("/lib64", "usr/lib64"), ("/bin", "usr/bin"), ("/sbin", "usr/sbin")):
        if Path(link).is_symlink():
            wrapped += ["--symlink", target, link]
        elif Path(link).is_dir():
            wrapped += ["--ro-bind", link, link]
    mounts = [python_home, venv, book_folder, workdir, *writable]
    wrapped += _traversable_parents(mounts)
    wrapped += ["--ro-bind", str(python_home), str(python_home), "--ro-bind", str(venv), str(venv),
                # The editable install finds `book` in the repository folder: put the copy there.
                "--ro-bind", str(book_copy), str(book_folder),
                "--proc", "/proc", "--dev", "/dev"]
    for folder in [workdir, *writable]:
        wrapped += ["--bind", str(folder), str(folder)]
    wrapped += ["--chdir", str(workdir)]
    if as_root:
        wrapped += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
                    "--inh-caps=-all", "--bounding-set=-all", "--"]
    return wrapped + ["prlimit", f"--as={limits.memory}", f"--nproc={limits.processes}",
                      f"--fsize={limits.file_size}", f"--cpu={cpu_seconds}", "--core=0", "--", *command]


# What jupyter_client raises for a message it will not accept: a replayed or badly signed one
# (ValueError), or one whose parts are not what the protocol says.
_REFUSED_MESSAGE = (ValueError, KeyError, TypeError, IndexError)


class StudentKernel:
    """A Jupyter kernel that runs one submission, and answers the grader's requests afterwards.

    With ``sandbox`` (the default), the kernel runs inside bubblewrap (``sandbox_command``) and is
    reached over Unix sockets in a folder of its own; without, it is an ordinary local kernel.
    """

    def __init__(self, workdir: Path, timeout: float, sandbox: bool = True, network: bool = False,
                 limits: Limits = Limits(), threads: int | None = None):
        self.timeout = timeout
        self.timed_out = False
        self.died = False
        self._reply_dir = Path(tempfile.mkdtemp(prefix="grading-replies-"))
        self._private = Path(tempfile.mkdtemp(prefix="grading-kernel-"))
        self.process = self.manager = self.client = self._uid = None
        self._context = None
        env = dict(_KERNEL_ENV, **({"OMP_NUM_THREADS": str(threads)} if threads else {}))
        if sandbox:
            try:
                self._start_sandboxed(Path(workdir), network, limits, threads or os.cpu_count() or 1, env)
            except Exception:
                self.close()
                raise
        else:
            from jupyter_client.manager import start_new_kernel

            env = dict(os.environ, **env)
            self.manager, self.client = start_new_kernel(startup_timeout=120, kernel_name="python3",
                                                         cwd=str(workdir), env=env)
        self.deadline = time.monotonic() + timeout

    def _start_sandboxed(self, workdir: Path, network: bool, limits: Limits, threads: int, env: dict) -> None:
        import zmq
        from jupyter_client import write_connection_file
        from jupyter_client.blocking import BlockingKernelClient

        sockets = self._private / "sockets"
        sockets.mkdir()
        connection = sockets / "kernel.json"
        write_connection_file(fname=str(connection), transport="ipc", ip=str(sockets / "kernel"))
        for folder in (workdir, sockets, self._reply_dir):  # the sandbox's user is not the grader's
            folder.chmod(0o777)
        connection.chmod(0o644)
        self._private.chmod(0o755)  # the copy of `book` in it is mounted for the sandbox's user
        self._uid = _SANDBOX_USERS.take()
        # Every second the kernel may run, on each core it may use, and its start-up besides.
        cpu_seconds = int(self.timeout * threads) + 60
        command = sandbox_command([str(Path(sys.prefix) / "bin" / "python"), "-m", "ipykernel_launcher",
                                   "-f", str(connection)], workdir=workdir, writable=[sockets, self._reply_dir],
                                  book_copy=_book_without_grading(self._private), limits=limits,
                                  cpu_seconds=cpu_seconds, uid=self._uid, network=network, env=env)
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        # A message over the limit makes the socket drop it (and reconnect) instead of holding it.
        self._context = zmq.Context()
        self._context.setsockopt(zmq.MAXMSGSIZE, limits.message)
        self.client = BlockingKernelClient(connection_file=str(connection), context=self._context)
        self.client.load_connection_file()
        self.client.start_channels(hb=False)
        self._wait_until_ready(timeout=120)

    def _wait_until_ready(self, timeout: float) -> None:
        """Ask for the kernel's info until it answers on the shell channel and its output channel
        is connected. (jupyter_client's own wait judges a kernel without a manager by its heartbeat,
        which a kernel starting on a busy machine can miss: it then calls a live kernel dead.)"""
        deadline = time.monotonic() + timeout
        while True:
            self.client.kernel_info()
            try:
                reply = self.client.get_shell_msg(timeout=1)
            except (queue.Empty, *_REFUSED_MESSAGE):
                reply = None
            if isinstance(reply, dict) and reply.get("msg_type") == "kernel_info_reply":
                try:
                    self.client.get_iopub_msg(timeout=0.2)
                    return
                except (queue.Empty, *_REFUSED_MESSAGE):
                    pass
            if self.process.poll() is not None:
                raise GradingError("the notebook's kernel exited while it started")
            if time.monotonic() > deadline:
                raise GradingError(f"the notebook's kernel did not start within {timeout:g} s")

    def _alive(self) -> bool:
        return self.process.poll() is None if self.process is not None else self.manager.is_alive()

    def execute(self, code: str, silent: bool = False) -> dict:
        """Run code in the kernel; the reply's content (``status``, and ``ename``/``evalue``).

        Waits in short slices so that a kernel that dies, or runs past the deadline, is noticed.
        """
        if self.timed_out or time.monotonic() >= self.deadline:
            self.timed_out = True
            raise TimeLimit(f"the time limit of {self.timeout:g} s was reached")
        if self.died or not self._alive():
            self.died = True
            raise GradingError("the notebook's kernel died")
        # stop_on_error=False: otherwise the kernel aborts the request that follows a failing cell.
        msg_id = self.client.execute(code, silent=silent, store_history=not silent, allow_stdin=False,
                                     stop_on_error=False)
        while True:
            self._discard_outputs()
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                self.timed_out = True
                raise TimeLimit(f"the time limit of {self.timeout:g} s was reached")
            try:
                reply = self.client.get_shell_msg(timeout=min(remaining, 0.5))
            except queue.Empty:
                if not self._alive():
                    self.died = True
                    raise GradingError("the notebook's kernel died") from None
                continue
            except _REFUSED_MESSAGE:
                continue
            parent = reply.get("parent_header")
            if isinstance(parent, dict) and parent.get("msg_id") == msg_id:
                content = reply.get("content")
                return content if isinstance(content, dict) else {"status": "error", "ename": "GradingError",
                                                                  "evalue": "a malformed reply"}

    def _discard_outputs(self) -> None:
        """Printed output and plots are not graded; read them off so they do not pile up.

        The kernel holds the key that signs messages, so it can replay or forge them: those that
        the client refuses (a duplicate or bad signature, a broken message) are dropped too.
        """
        while True:
            try:
                self.client.get_iopub_msg(timeout=0)
            except queue.Empty:
                return
            except _REFUSED_MESSAGE:
                continue

    def request(self, op: str, *args: Any) -> Any:
        """Ask the kernel for one operation on its objects; returns the decoded reply."""
        reply_path = self._reply_dir / "reply.json"
        reply_path.unlink(missing_ok=True)
        request = json.dumps([op, list(args)])
        self.execute(f"__book_grading_serve__({request!r}, {str(reply_path)!r})", silent=True)
        try:
            reply = json.loads(read_reply(reply_path))
        except (OSError, ValueError):
            if not self._alive():
                self.died = True
                raise GradingError("the notebook's kernel died") from None
            raise GradingError("the notebook's kernel gave no answer") from None
        if not isinstance(reply, dict) or ("ok" not in reply and "error" not in reply):
            raise GradingError("the notebook's kernel gave a malformed answer")
        if "error" in reply:
            raise GradingError(f"in the notebook: {reply['error']}")
        return reply["ok"]

    def close(self) -> None:
        try:
            if getattr(self, "client", None) is not None:  # absent when the kernel failed to start
                self.client.stop_channels()
        finally:
            if self.process is not None:  # the sandbox goes, and every process in it
                self.process.kill()
                self.process.wait()
            elif self.manager is not None:
                self.manager.shutdown_kernel(now=True)
            if self._context is not None:
                self._context.destroy(linger=0)
            if self._uid is not None:
                _SANDBOX_USERS.give_back(self._uid)
                self._uid = None
            shutil.rmtree(self._reply_dir, ignore_errors=True)
            shutil.rmtree(self._private, ignore_errors=True)


MAX_REPLY_BYTES = 64 * 2**20
"""The largest answer a kernel may send for one request (a 1000 x 1000 float array is 10 MB as JSON)."""


def read_reply(path: Path, limit: int = MAX_REPLY_BYTES) -> str:
    """The text of a reply file the kernel wrote, read without trusting it.

    Only a regular file is read (a FIFO put in its place would block the grader for ever, a link
    could point anywhere), and only up to ``limit`` bytes.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise GradingError("the notebook's kernel answered with something that is not a file")
        if info.st_size > limit:
            raise GradingError(f"the notebook's kernel sent an answer of {info.st_size / 2**20:.0f} MB; "
                               f"answers are limited to {limit / 2**20:.0f} MB")
        return handle.read(limit).decode("utf-8")


def decode_reply(item: Any) -> Any:
    """Data sent back by the kernel, rebuilt from JSON and .npy bytes (never unpickled)."""
    if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
        raise GradingError("the notebook's kernel gave a malformed answer")
    kind, value = item
    if kind == "value":
        return value
    if kind == "array":
        return np.load(io.BytesIO(base64.b64decode(value)), allow_pickle=False)
    if kind in ("list", "tuple"):
        items = [decode_reply(v) for v in value]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {decode_reply(k): decode_reply(v) for k, v in value}
    raise GradingError("the notebook's kernel gave a malformed answer")


def _encode(value: Any) -> list:
    """A test's argument for the kernel: a student value by reference, or data."""
    if isinstance(value, RemoteValue):
        return ["ref", value._ref]
    if value is None or isinstance(value, (bool, int, float, str)):
        return ["value", value]
    if isinstance(value, np.generic):
        return ["value", value.item()]
    if isinstance(value, np.ndarray):
        buffer = io.BytesIO()
        np.save(buffer, value, allow_pickle=False)
        return ["array", base64.b64encode(buffer.getvalue()).decode("ascii")]
    if isinstance(value, (list, tuple)):
        return ["list" if isinstance(value, list) else "tuple", [_encode(v) for v in value]]
    if isinstance(value, dict):
        return ["dict", [[_encode(k), _encode(v)] for k, v in value.items()]]
    raise TypeError(f"a test cannot send a {type(value).__name__} to the notebook")


class RemoteValue:
    """A value that lives in the student's kernel.

    Operations on it run there and give new remote values; converting it (``np.asarray``,
    ``float``, ``int``, ``bool``, ``==``) brings back a copy as plain data, and ``str``/``len`` bring
    back a string or an integer. Nothing from the kernel is ever executed here.
    """

    __slots__ = ("_kernel", "_ref")

    def __init__(self, kernel: StudentKernel, ref: int):
        self._kernel, self._ref = kernel, ref

    def _remote(self, op: str, *args: Any) -> "RemoteValue":
        reply = self._kernel.request(op, self._ref, *args)
        if not (isinstance(reply, list) and len(reply) == 2 and reply[0] == "ref" and isinstance(reply[1], int)):
            raise GradingError("the notebook's kernel gave a malformed answer")
        return RemoteValue(self._kernel, reply[1])

    def _data(self) -> Any:
        return decode_reply(self._kernel.request("data", self._ref))

    def __getattr__(self, name: str) -> "RemoteValue":
        if name.startswith("__"):  # protocols (numpy's __array_interface__, ...) are not forwarded
            raise AttributeError(name)
        return self._remote("getattr", name)

    def __getitem__(self, key: Any) -> "RemoteValue":
        return self._remote("getitem", _encode(key))

    def __call__(self, *args: Any, **kwargs: Any) -> "RemoteValue":
        return self._remote("call", _encode(list(args)), _encode(kwargs))

    def __iter__(self):
        refs = decode_reply(self._kernel.request("iter", self._ref))
        return iter([RemoteValue(self._kernel, ref) for ref in refs])

    def __len__(self) -> int:
        return int(decode_reply(self._kernel.request("len", self._ref)))

    def __str__(self) -> str:
        return str(decode_reply(self._kernel.request("str", self._ref)))

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return np.asarray(self._data(), dtype=dtype)

    def __float__(self) -> float:
        return float(np.asarray(self._data()).item())

    def __int__(self) -> int:
        return int(np.asarray(self._data()).item())

    __index__ = __int__

    def __bool__(self) -> bool:
        return bool(self._data())

    def __eq__(self, other: Any) -> Any:
        return self._data() == other

    def __ne__(self, other: Any) -> Any:
        return self._data() != other

    def __hash__(self) -> int:
        return hash((id(self._kernel), self._ref))

    def __repr__(self) -> str:
        return f"<student value #{self._ref}>"
