"""Two app servers behind Debian's nginx (deploy/nginx-placement.conf, as shipped) on one PostgreSQL: one server
is killed mid-vote, its pages reconnect through the proxy to the other, and no confirmed vote is lost.

nginx routes each browser by its `placement_route` cookie; a test picks a browser's server by giving it a
route value that nginx's access log shows going there. Needs PLACEMENT_TEST_POSTGRES_URL and nginx
(apt-get install nginx): without them the test skips, unless REQUIRE_POSTGRES=1 / REQUIRE_BROWSER=1 (as in
CI), when it fails.
"""

import os
import re
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import pytest
import sqlalchemy as sa

from harness.server import app_process, free_port
from placement.workshop import schema
from placement.workshop.store import RoomStore
from tests.browser.conftest import (
    choose_levels,
    create_room,
    join,
    join_and_vote,
    levels_of,
    submit_vote,
    wait_for_app,
    wait_for_votes,
)
from tests.browser.nginx import NGINX, nginx_proxy
from tests.conftest import postgres_url

pytestmark = pytest.mark.browser

ROUTE_COOKIE = "placement_route"
LOG_LINE = re.compile(r'"GET (?P<path>\S+) [^"]*" (?P<status>\d+) upstream=(?P<upstream>.*) route=(?P<route>\S+)$')
LEAD = re.compile(r".+? leads by [0-9.]+ points over .+?\.")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PROJECTOR = {"viewport": {"width": 1600, "height": 1000}}


@pytest.fixture
def empty_postgres() -> str:
    """The test PostgreSQL database with no room tables: the app servers create the schema at start-up."""
    url = postgres_url()
    engine = sa.create_engine(url)
    try:
        schema.metadata.drop_all(engine)
    finally:
        engine.dispose()
    return url


def require_nginx() -> None:
    if not Path(NGINX).exists():
        reason = f"nginx not installed at {NGINX}: apt-get install nginx"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason} (REQUIRE_BROWSER=1 forbids skipping)")
        pytest.skip(reason)


def requests_in(access_log: Path) -> list[dict[str, str]]:
    """The proxied requests nginx has logged: path, status, upstream (the app servers tried) and route."""
    lines = access_log.read_text(encoding="utf-8").splitlines()
    return [match.groupdict() for line in lines if (match := LOG_LINE.search(line))]


def port_of(url: str) -> str:
    return url.rsplit(":", 1)[1]


def served_last(upstream: str) -> str:
    """The port of the app server that answered (nginx lists the ones it tried first, comma-separated)."""
    return port_of(upstream.split(",")[-1].strip())


def logged(access_log: Path, wanted, after: int = 0, timeout: float = 90) -> dict[str, str]:
    """The first request past the log's first `after` for which `wanted(request)` holds, once nginx logs it
    (it logs a request after answering it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := next(filter(wanted, requests_in(access_log)[after:]), None):
            return found
        time.sleep(0.2)  # polling the log file: the condition is the line, not the time
    raise AssertionError(f"nginx logged no such request within {timeout} s")


def routes_to(proxy: str, access_log: Path, apps: list[str], each: int) -> dict[str, list[str]]:
    """`each` route cookie values per app server, found by asking the proxy and reading where it went."""
    found: dict[str, list[str]] = {port_of(app): [] for app in apps}
    for candidate in (f"route{n}" for n in range(200)):
        request = urllib.request.Request(f"{proxy}/_stcore/health", headers={"Cookie": f"{ROUTE_COOKIE}={candidate}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
        answered = logged(access_log, lambda r, route=candidate: r["route"] == route)
        found[served_last(answered["upstream"])].append(candidate)
        if all(len(routes) >= each for routes in found.values()):
            return {port: routes[:each] for port, routes in found.items()}
    raise AssertionError(f"200 route values did not reach every app server {each} times: {found}")


def streamed_on(route: str, port: str):
    """A websocket of the page with this route, on the app server at `port` (nginx logs it once it ends)."""
    return lambda r: r["path"] == "/_stcore/stream" and r["route"] == route and served_last(r["upstream"]) == port


def asked(route: str, port: str):
    """A request of Streamlit's own (a reconnecting page asks /_stcore/health first) answered by `port`."""
    return lambda r: (
        r["path"].startswith("/_stcore/health") and r["route"] == route and served_last(r["upstream"]) == port
    )


def facilitator_key(board) -> str:
    board.get_by_role("button", name="Facilitator key").click()
    return re.search(r"Facilitator key: (\S+)\.", board.get_by_text("Facilitator key:").inner_text()).group(1)


def open_room(board, code: str, key: str) -> None:
    """On the Run page's first screen: open a running room with its code and key."""
    board.get_by_label("Room code").fill(code)
    board.get_by_label("Facilitator key").fill(key)
    board.get_by_role("button", name="Open", exact=True).filter(has_text="Open").click()
    wait_for_app(board)


def lead_on(board) -> str:
    board.get_by_text("Consensus:").first.wait_for(timeout=30_000)
    wait_for_app(board)
    return LEAD.search(board.locator("[data-testid=stMarkdown]", has_text="leads by").first.inner_text()).group(0)


def test_a_server_dies_mid_vote_and_its_people_carry_on_through_the_proxy(empty_postgres, browser, tmp_path: Path):
    require_nginx()
    proxy_port = free_port()
    proxy_url = f"http://127.0.0.1:{proxy_port}"
    # Every server: the one database, the proxy's address for the join link, one cookie secret.
    env = {
        "PLACEMENT_DATABASE_URL": empty_postgres,
        "PLACEMENT_PUBLIC_URL": proxy_url,
        "STREAMLIT_SERVER_COOKIE_SECRET": "the-same-secret-on-every-app-server",
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with ExitStack() as stack:
        app_a, _ = stack.enter_context(app_process(tmp_path / "a", env=env))
        app_b, process_b = stack.enter_context(app_process(tmp_path / "b", env=env))
        proxy, log = stack.enter_context(nginx_proxy(tmp_path / "nginx", [app_a, app_b], proxy_port))
        port_a, port_b = port_of(app_a), port_of(app_b)
        routes = routes_to(proxy, log, [app_a, app_b], each=4)

        def browser_on(port: str, index: int, options: dict):
            """A new browser whose route cookie sends it to the app server at `port`, and its route."""
            context = browser.new_context(**options)
            stack.callback(context.close)
            route = routes[port][index]
            context.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": proxy}])
            return context.new_page(), route

        (board_a, _), (board_b, board_b_route) = browser_on(port_a, 0, PROJECTOR), browser_on(port_b, 0, PROJECTOR)
        (ann, _), (bob, _) = browser_on(port_a, 1, PHONE), browser_on(port_a, 2, PHONE)
        (cat, cat_route), (dan, dan_route) = browser_on(port_b, 1, PHONE), browser_on(port_b, 2, PHONE)
        eve, _ = browser_on(port_b, 3, PHONE)

        board_a.goto(f"{proxy}/run")
        wait_for_app(board_a)
        code = create_room(board_a, "Two servers behind one proxy")
        key = facilitator_key(board_a)
        assert f"{proxy}/join?room={code}" in board_a.get_by_text("join?room=").inner_text()  # phones use the proxy
        board_b.goto(f"{proxy}/run")
        wait_for_app(board_b)
        open_room(board_b, code, key)

        join_and_vote(ann, proxy, code, "Ann", top_factor=0)
        join_and_vote(cat, proxy, code, "Cat", top_factor=1)
        join_and_vote(eve, proxy, code, "Eve", top_factor=5)  # her vote, confirmed by server B, must outlive it
        join(dan, proxy, code, "Dan")  # Dan's form is open when his server dies
        for board in (board_a, board_b):
            wait_for_votes(board, 3)
        logged_before_kill = len(requests_in(log))
        process_b.kill()  # SIGKILL: no goodbye to its websockets
        process_b.wait(timeout=20)

        # Server B's pages had their websockets there; they reconnect by themselves, through the proxy, to A.
        for route in (board_b_route, cat_route, dan_route):
            logged(log, streamed_on(route, port_b), after=logged_before_kill)
            logged(log, asked(route, port_a), after=logged_before_kill)
        wait_for_app(cat)
        cat.get_by_text("You are in as Cat").wait_for()  # her device cookie brings her back as herself
        choose_levels(cat, {1: 2, 2: 4})  # from factor 2 at level 4 to factor 3 at level 4
        submit_vote(cat, revision=2)
        wait_for_app(dan)
        dan.get_by_text("You are in as Dan").wait_for()
        choose_levels(dan, dict.fromkeys(range(len(levels_of(dan))), 2) | {3: 4})
        submit_vote(dan, revision=1)
        join_and_vote(bob, proxy, code, "Bob", top_factor=4)

        # Board B's session was on the dead server: its facilitator opens the room again with code and key.
        wait_for_app(board_b)
        open_room(board_b, code, key)
        for board in (board_a, board_b):
            wait_for_votes(board, 5)

        board_a.get_by_role("button", name="Reveal votes").click()
        lead = lead_on(board_a)
        assert lead_on(board_b) == lead  # board B follows A's reveal by its own refresh
        consensus = [board.get_by_text("Consensus:").first.inner_text() for board in (board_a, board_b)]
        assert consensus[0] == consensus[1]

        # Every confirmed vote is in the database, at the revision its page confirmed, as its page sent it.
        engine = sa.create_engine(empty_postgres)
        stack.callback(engine.dispose)
        store = RoomStore(engine)
        votes = {vote.participant: vote for vote in store.votes(code)}
        assert {name: vote.revision for name, vote in votes.items()} == {
            "Ann": 1,
            "Bob": 1,
            "Cat": 2,
            "Dan": 1,
            "Eve": 1,
        }
        factors = store.room(code).factor_ids  # the form's order
        tops = {name: [f for f in factors if vote.values[f] == 8] for name, vote in votes.items()}  # level 4, stored x2
        assert tops == {
            name: [factors[top]] for name, top in {"Ann": 0, "Bob": 4, "Cat": 2, "Dan": 3, "Eve": 5}.items()
        }
