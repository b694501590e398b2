"""A real app server and a real Chromium (Debian's), started by the tests themselves.

Locally the browser tests skip with a visible reason when Chromium is missing;
with REQUIRE_BROWSER=1 (as in CI) a missing browser is a failure instead.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"the app server at {url} did not become healthy in {timeout} s")


@contextmanager
def app_server(folder: Path, env: dict[str, str] | None = None, script: str | Path = "app.py"):
    """A real app server on a free port, with its own room database in `folder` (and any extra `env`).

    `script` is run from the project folder, so its .streamlit/config.toml applies (the bench serves a bare
    script this way); its log goes to `folder`, named after it ("app.py": server.log)."""
    port = _free_port()
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
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture
def fresh_server(tmp_path):
    """A newly started server per test, for tests that change server state (rooms)."""
    with app_server(tmp_path) as url:
        yield url


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory):
    """One server for a module's tests that only read: each test opens its own browser session."""
    with app_server(tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required (REQUIRE_BROWSER=1) but {CHROMIUM} does not exist")
        pytest.skip(f"Chromium not installed at {CHROMIUM}: apt-get install chromium (set REQUIRE_BROWSER=1 to fail)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    """A second, separate browser (own cookies and session) with a phone-sized screen."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def laptop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit is connected, idle, and has drawn its charts."""
    page.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=timeout)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)
    page.wait_for_function("!document.querySelector('[data-testid=stSkeleton]')", timeout=timeout)
    page.wait_for_timeout(500)


def join_and_vote(page, server: str, code: str, name: str, top_factor: int | None = None) -> None:
    """Join a room by its link and vote: every factor at level 2, or one (by position) at 4 (twice the weight)."""
    page.goto(f"{server}/join?room={code}")
    wait_for_app(page)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    page.get_by_role("button", name="Submit my vote").wait_for()
    wait_for_app(page)  # every factor's levels drawn
    for i, levels in enumerate(page.locator("[data-testid=stButtonGroup]").all()):
        levels.locator("button").filter(has_text=re.compile(rf"^{4 if i == top_factor else 2}$")).click()
    page.get_by_role("button", name="Submit my vote").click()
    page.get_by_text("Your vote is in (revision 1)").wait_for()


def create_room(page, title: str) -> str:
    """Create a room from the facilitator's page (already on /run); returns its code, read off the board."""
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Create the room").click()
    wait_for_app(page)
    return re.search(r"join\?room=([A-Z0-9]{8})", page.get_by_text("join?room=").inner_text()).group(1)


def wait_for_votes(page, count: int, timeout: float = 20_000) -> None:
    """Until the board's own refresh shows `count` votes in (no reload)."""
    page.wait_for_function(
        "n => [...document.querySelectorAll('[data-testid=stMetric]')]"
        ".some(m => m.innerText.includes('Votes in') && m.innerText.trim().endsWith(String(n)))",
        arg=count,
        timeout=timeout,
    )
