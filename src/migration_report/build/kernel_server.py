"""The server that forks the book's notebook kernels (see migration_report.build.forked_kernels).

Run as `python -c <this file's text> REQUESTS REPLIES MODULE...` by forked_kernels, not imported: a kernel forked
from it then holds no module of this package, and no file of the book, that it did not load for
itself (the inputs probe attributes each notebook's inputs from what its kernel loaded). Only the
standard library and the named modules (installed packages) are imported here.

It reads requests from the file descriptor REQUESTS and writes replies to REPLIES, one JSON object per line:
  {"argv": [...], "cwd": "...", "env": {...}}   ->  {"started": PID}  or  {"failed": "why"}
and, whenever a kernel ends, {"ended": PID, "code": EXIT_CODE, "cpu": CPU_SECONDS}. When the
requests end, kernels still running are killed, and the server exits once all have ended.
"""

import builtins
import gc
import io
import json
import os
import runpy
import selectors
import signal
import sys

REQUESTS = REPLIES = -1  # the file descriptors, from the command line
SET_WHEN_IMPORTED = {}  # environment variables the preloaded modules set (debugpy sets one)


def preload(names):
    """Import the named modules as a kernel would; one that cannot be imported is left to the kernels.

    A library may decide things about where it runs when it is imported, and a kernel forked from
    here keeps what was decided here. pandas, for one, shows at most 20 columns of a table in a
    Jupyter kernel and as many as fit in a terminal (it asks get_ipython(), which a kernel
    provides, whether there is a kernel), and takes its output encoding from sys.stdout (in a
    kernel, ipykernel's stream, which says "UTF-8"). So while importing, these are as in a kernel.
    tests/test_forked_kernels.py compares what a forked and a new kernel see.
    """
    global SET_WHEN_IMPORTED
    environment = dict(os.environ)
    stdout, stderr = sys.stdout, sys.stderr
    builtins.get_ipython = lambda: _SEEN_FROM_A_KERNEL
    # What a module prints while imported goes nowhere, as in a kernel, which publishes it outside any
    # cell (debugpy warns about frozen modules); a module that keeps the stream (debugpy's log) keeps one
    # that still works.
    sys.stdout = sys.stderr = io.TextIOWrapper(io.BytesIO(), encoding="UTF-8", line_buffering=True)
    try:
        for name in names:
            try:
                __import__(name)
            except ImportError:
                pass
    finally:
        sys.stdout, sys.stderr = stdout, stderr
        del builtins.get_ipython
    SET_WHEN_IMPORTED = {key: value for key, value in os.environ.items() if key not in environment}


class _SEEN_FROM_A_KERNEL:  # what get_ipython() returns in a kernel, as far as imports look
    kernel = True


def become_kernel(argv, cwd, env):
    """In the forked process: run `python -m ipykernel_launcher ARGV` as if started in CWD with ENV.
    Never returns: the process exits as such a kernel does."""
    os.close(REQUESTS)
    os.close(REPLIES)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the server's own handler; SIGINT is as the server got it
    signal.set_wakeup_fd(-1)
    os.setsid()  # as jupyter_client starts a kernel: a session and process group of its own
    with open("/proc/self/comm", "w") as name:  # "ipykernel" in ps and top, not the server's "python"
        name.write("ipykernel")
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    for key, value in SET_WHEN_IMPORTED.items():  # as those imports in the kernel would have: if unset
        os.environ.setdefault(key, value)
    sys.argv = ["ipykernel_launcher", *argv]
    sys.path[0] = ""  # as `python -m` starts (the launcher takes it out, IPython puts it back)
    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
    sys.exit(0)


def end_kernel(pid):
    """Kill the kernel PID and its process group (what it started), also if it has not yet made
    the group its own (a kernel forked just before the build closed the server)."""
    for kill in (os.kill, os.killpg):
        try:
            kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def reply(message):
    os.write(REPLIES, (json.dumps(message) + "\n").encode())


def reap(kernels):
    """Report every kernel that has ended since the last call."""
    while kernels:
        try:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        kernels.discard(pid)
        reply({"ended": pid, "code": os.waitstatus_to_exitcode(status), "cpu": usage.ru_utime + usage.ru_stime})


def serve():
    kernels = set()
    wakeup_r, wakeup_w = os.pipe()
    os.set_blocking(wakeup_w, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the selector through the wakeup fd
    signal.set_wakeup_fd(wakeup_w)
    selector = selectors.DefaultSelector()
    selector.register(REQUESTS, selectors.EVENT_READ)
    selector.register(wakeup_r, selectors.EVENT_READ)
    pending = b""
    open_ = True
    while open_ or kernels:
        for key, _ in selector.select():
            if key.fd == wakeup_r:
                os.read(wakeup_r, 4096)
                reap(kernels)
                continue
            chunk = os.read(REQUESTS, 65536)
            if not chunk:  # the build is done with us (or gone): no kernel outlives it
                open_ = False
                selector.unregister(REQUESTS)
                for pid in kernels:
                    end_kernel(pid)
                continue
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                request = json.loads(line)
                try:
                    pid = os.fork()
                except OSError as err:
                    reply({"failed": f"{err.__class__.__name__}: {err}"})
                    continue
                if pid == 0:
                    selector.close()
                    os.close(wakeup_r)
                    os.close(wakeup_w)
                    become_kernel(request["argv"], request["cwd"], request["env"])
                kernels.add(pid)
                reply({"started": pid})
        reap(kernels)


if __name__ == "__main__":
    REQUESTS, REPLIES = int(sys.argv[1]), int(sys.argv[2])
    preload(sys.argv[3:])
    # What was imported stays, so the kernels' garbage collector need not look at it: looking writes
    # to every object, and a forked kernel would copy every page of the server's memory it touched.
    gc.freeze()
    serve()
