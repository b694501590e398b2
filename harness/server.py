"""A real app server on a free port, as `make run` starts it, for the browser tests, the bench and the screenshots."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server at {url} exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"the server at {url} did not become healthy in {timeout} s")


@contextmanager
def app_server(folder: Path, env: dict[str, str] | None = None, script: str | Path = "app.py"):
    """A real app server on a free port, with its own room database in `folder` (and any extra `env`).

    `script` is run from the project folder, so its .streamlit/config.toml applies (the bench serves a bare
    script this way); its log goes to `folder`, named after it ("app.py": server.log)."""
    with app_process(folder, env, script) as (url, _):
        yield url


@contextmanager
def app_process(folder: Path, env: dict[str, str] | None = None, script: str | Path = "app.py"):
    """As `app_server`, yielding (url, process) for a test that kills the server itself."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"]
    command += ["--server.port", str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    log = (folder / ("server.log" if str(script) == "app.py" else f"{Path(script).stem}.log")).open("w")
    extra = env or {}
    env = {**os.environ, "PLACEMENT_DB_PATH": str(folder / "rooms.db")}
    env.pop("PLACEMENT_DATABASE_URL", None)
    env.pop("PLACEMENT_PUBLIC_URL", None)  # the join link follows the browser's address unless a test sets one
    env.update(extra)
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url, process
    finally:
        process.terminate()  # nothing if the test has already killed it
        process.wait(timeout=20)
        log.close()
