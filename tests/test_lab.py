"""make lab: JupyterLab from the pinned environment answers on loopback, and its kernel imports
migration_report (this checkout's). Starts the server headless through scripts/lab, as make lab
does, asks it for its kernels, runs one line in a kernel it starts, then stops it.

Marker `book` (a server and a kernel start: seconds, not milliseconds).
"""

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, token: str):
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def run_in_kernel(base: str, token: str, kernel_id: str, code: str) -> str:
    """Execute CODE in the kernel over the server's websocket; return what it printed."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    async def execute():
        url = base.replace("http://", "ws://") + f"api/kernels/{kernel_id}/channels"
        socket_ = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {token}"}))
        msg_id = uuid.uuid4().hex
        await socket_.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test", "session": uuid.uuid4().hex,
                       "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False}}))
        printed, deadline = [], time.monotonic() + 60
        while time.monotonic() < deadline:
            message = json.loads(await socket_.read_message())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if message["msg_type"] == "stream":
                printed.append(message["content"]["text"])
            elif message["msg_type"] == "error":
                printed.append("\n".join(message["content"]["traceback"]))
            elif message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                break
        socket_.close()
        return "".join(printed)

    # A thread with its own event loop: the browser tests' Playwright keeps the main thread's loop running.
    import asyncio
    import threading

    outcome = {}

    def in_own_loop():
        try:
            outcome["printed"] = asyncio.run(asyncio.wait_for(execute(), timeout=90))
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error

    worker = threading.Thread(target=in_own_loop)
    worker.start()
    worker.join(120)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["printed"]


def test_make_lab_answers_and_its_kernel_imports_migration_report(tmp_path):
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_DATA_DIR=str(tmp_path / "data"))
    env.pop("PYTHONPATH", None)  # scripts/lab must put this checkout's src/ first by itself
    server = subprocess.Popen([str(ROOT / "scripts" / "lab"), "--no-browser", f"--ServerApp.port={port}",
                               f"--IdentityProvider.token={token}", "--ServerApp.port_retries=0"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, server.stdout.read()
            try:
                status, info = get(base + "api/status", token)
                break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not answer within 90 s"
                time.sleep(0.5)
        assert status == 200 and "started" in info
        _, lab = get(base + "lab/api/settings", token)  # JupyterLab itself, not only the Jupyter server
        assert "settings" in lab
        _, specs = get(base + "api/kernelspecs", token)
        default = specs["kernelspecs"][specs["default"]]["spec"]
        assert specs["default"] == "python3" and default["argv"][0] == str(ROOT / ".venv" / "bin" / "python")
        _, contents = get(base + "api/contents", token)  # it opens on chapters/
        assert "flow-statistics.ipynb" in {item["name"] for item in contents["content"]}

        request = urllib.request.Request(base + "api/kernels", data=b"{}", method="POST",
                                         headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            kernel = json.loads(response.read())
        printed = run_in_kernel(base, token, kernel["id"],
                                "import migration_report, migration_report.core.data as d; print(d.__file__)")
        assert Path(printed.strip()) == ROOT / "src" / "migration_report" / "core" / "data.py", printed
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert server.returncode is not None
