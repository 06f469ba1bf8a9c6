"""migration_report.build.forked_kernels: a kernel forked from the server is the kernel a new process
would have been, and the server reports and ends its kernels."""

import json
import os
import re
import signal
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_cache.executors.utils import single_nb_execution
from jupyter_client import AsyncKernelManager

from migration_report.build.forked_kernels import PRELOADED, KernelServer, manager_class

# What a kernel's code can see of how it was started, after importing what the server imports.
STATE = r'''
import importlib, json, os, signal, sys, threading, warnings
already_imported = sorted(m for m in ("numpy", "pandas", "ipykernel.kernelapp") if m in sys.modules)
for name in PRELOADED:
    importlib.import_module(name)
import numpy as np, pandas as pd
simple = (str, bytes, int, float, bool, type(None))
options = pd._config.config._registered_options
print(json.dumps({
    "cwd": os.getcwd(), "path": sys.path, "argv": [a for a in sys.argv[1:] if not a.endswith(".json")],
    "flags": list(sys.flags), "environment": dict(os.environ), "umask": os.umask(0o022),
    "own session": os.getsid(0) == os.getpid() == os.getpgid(0),
    "signals": {s: str(signal.getsignal(getattr(signal, s))) for s in ("SIGINT", "SIGTERM", "SIGCHLD", "SIGPIPE", "SIGHUP")},
    "threads": sorted(t.name for t in threading.enumerate()),
    "warning filters": [str(f) for f in warnings.filters],
    "pandas options": {k: str(pd.get_option(k)) for k in options},
    "pandas defaults": {k: str(options[k].defval) for k in options},
    "numpy": [str(np.get_printoptions()), np.geterr()],
    "display": sorted(get_ipython().display_formatter.active_types),
    "main": [sys.modules["__main__"].__name__, type(sys.stdin).__name__, sys.stdout.encoding],
    "matplotlib imported": "matplotlib" in sys.modules,
    "book modules": sorted(m for m in sys.modules if m.startswith("migration_report")),
    "parent": os.getppid() != 1,
    "already imported": already_imported,
    "frozen objects": __import__("gc").get_freeze_count() > 0,
    # A value any module keeps from when it was imported (a detected terminal, a time zone, a path),
    # as far as it is a plain value.
    "module values": {name: {key: repr(value) for key, value in vars(module).items()
                             if isinstance(value, simple) and key not in ("__file__", "__cached__")}
                      for name, module in list(sys.modules.items()) if not name.startswith(("__main__", "migration_report"))},
}, sort_keys=True, default=str))
'''


SERVER_MODULES = {"builtins", "gc", "io", "json", "os", "runpy", "selectors", "signal", "sys"}


class NewKernelOverIpc(AsyncKernelManager):
    """A new kernel (not forked) over the forked kernels' transport, so that the two differ by the fork only
    (over TCP a kernel also looks up the machine's addresses, with modules of its own)."""

    socket_dir = ""

    async def _async_pre_start_kernel(self, **kw):
        self.transport = "ipc"
        self.ip = os.path.join(self.socket_dir, "kernel")
        return await super()._async_pre_start_kernel(**kw)


def state(tmp_path, kernel_manager_class=None):
    if kernel_manager_class is None:
        with tempfile.TemporaryDirectory(prefix="new-kernel-") as sockets:  # short: a socket's path has a limit
            return state(tmp_path, type("NewKernel", (NewKernelOverIpc,), {"socket_dir": sockets}))
    folder = tmp_path / "notebook"
    folder.mkdir(exist_ok=True)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"PRELOADED = {PRELOADED!r}\n" + STATE)])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    result = single_nb_execution(notebook, cwd=str(folder), timeout=60, allow_errors=False,
                                 kernel_manager_class=kernel_manager_class)
    assert result.err is None, result.err
    seen = json.loads(notebook.cells[0].outputs[0]["text"])
    return seen


def own_to_each_process(one: dict, other: dict) -> set[tuple[str, str]]:
    """(module, name) of the module values that differ between two new kernels: an address, a process
    id, a start time, an order of a set of strings (Python's hash seed), which no two processes share."""
    return {(module, key) for module in one.keys() & other.keys()
            for key in one[module].keys() | other[module].keys() if one[module].get(key) != other[module].get(key)}


def test_a_forked_kernel_sees_what_a_new_kernel_sees(tmp_path):
    new, another_new = state(tmp_path), state(tmp_path)
    ended = []
    with KernelServer() as server:
        forked = state(tmp_path, kernel_manager_class=manager_class(server, ended.append))
    # What the server imported is there before the first cell, in a forked kernel only.
    assert new.pop("already imported") == ["ipykernel.kernelapp"]
    # ... and out of its garbage collector's way (frozen), so that a kernel does not copy the server's memory.
    assert (new.pop("frozen objects"), forked.pop("frozen objects")) == (False, True)
    assert forked.pop("already imported") == sorted({"numpy", "pandas", "ipykernel.kernelapp"} & set(PRELOADED))
    # The libraries' warning filters come before the one ipykernel adds as it starts (about Trio's
    # signal handling, a message no other filter matches) rather than after it: the same filters,
    # in the same order otherwise.
    assert sorted(forked["warning filters"]) == sorted(new["warning filters"])
    for seen in (new, forked):
        seen["warning filters"] = [f for f in seen["warning filters"] if "Trio" not in f]
    # debugpy makes an unstarted thread when imported, which takes a number from the names of threads
    # made without one: the kernel's own such thread is then Thread-2, not Thread-1.
    for seen in (new, forked):
        seen["threads"] = [re.sub(r"^Thread-\d+", "Thread-N", name) for name in seen["threads"]]
    own = own_to_each_process(new["module values"], another_new["module values"])
    assert ("logging", "_startTime") in own  # what this leaves out: it does find such values
    for seen in (new, forked):
        for module, key in own:
            seen["module values"].get(module, {}).pop(key, None)
    assert sum(map(len, new["module values"].values())) > 1000  # the check looks at something
    # The server's own few standard modules (its imports) are loaded in a forked kernel only.
    only_forked = forked["module values"].keys() - new["module values"].keys()
    assert only_forked <= SERVER_MODULES, only_forked
    for module in only_forked:
        del forked["module values"][module]
    for key in new:
        assert forked[key] == new[key], key
    assert new["book modules"] == []
    assert len(ended) == 1 and ended[0] > 0  # its CPU seconds, reported once


@pytest.fixture
def server():
    with KernelServer(preloaded=()) as started:  # nothing to import: the protocol only
        yield started


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_gone(pid, seconds=20):
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


def test_a_killed_kernel_is_reported_with_its_signal(server, tmp_path):
    pid = server.start(["-f", str(tmp_path / "kernel.json")], tmp_path, os.environ)
    assert server.ended(pid, timeout=0) is None
    os.kill(pid, signal.SIGKILL)
    code, cpu = server.ended(pid, timeout=20)
    assert code == -signal.SIGKILL and cpu >= 0


def test_closing_the_server_ends_the_kernels_still_running(tmp_path):
    server = KernelServer(preloaded=())
    pid = server.start(["-f", str(tmp_path / "kernel.json")], tmp_path, os.environ)
    assert alive(pid)
    server.close()
    assert wait_gone(pid)
    assert server.process.returncode == 0


def test_a_request_to_a_server_that_has_gone_is_an_error(tmp_path):
    server = KernelServer(preloaded=())
    server.process.kill()
    server.process.wait()
    with pytest.raises(RuntimeError, match="kernel server"):
        server.start(["-f", str(tmp_path / "kernel.json")], tmp_path, os.environ)
    server.close()


def test_each_forked_kernel_has_sockets_of_its_own(tmp_path):
    """Over TCP, a port one kernel had given up (or the other edition's build had picked too) could be another
    kernel's, and a client still connected to it wrote its heartbeat's pings into that kernel's shell channel:
    "DELIM not in msg_list" in a notebook's output. A forked kernel's sockets are files of its own."""
    import asyncio

    async def connections(server):
        seen = []
        for _ in range(2):
            manager = manager_class(server)(kernel_name="python3")
            await manager.start_kernel(cwd=str(tmp_path))
            client = manager.client()
            client.start_channels()
            await client.wait_for_ready(timeout=30)
            seen.append(manager.get_connection_info())
            client.stop_channels()
            await manager.shutdown_kernel(now=True)
        return seen

    with KernelServer(preloaded=()) as server:
        first, second = asyncio.run(connections(server))
        folder = server.socket_dir
    assert first["transport"] == second["transport"] == "ipc"
    assert Path(first["ip"]).parent == Path(second["ip"]).parent == Path(folder) and first["ip"] != second["ip"]
    assert not Path(folder).exists()  # removed with the server
