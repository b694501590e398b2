"""The room store when its database fails (GitHub issues 11 and 12): never a false confirmation, nothing lost.

- A read-only, full or vanished SQLite file and a stopped PostgreSQL make every store method raise
  RoomUnavailable, worded for people ("your vote was not saved"), never a confirmation.
- A PostgreSQL cluster of the test's own (initdb/pg_ctl in a temporary folder) is stopped and
  started again under one RoomStore: the same engine works again at once, with every earlier vote.
  It skips with a visible reason when PostgreSQL's binaries are missing; REQUIRE_POSTGRES=1 fails instead.
- A process submitting votes is killed with SIGKILL: every vote it confirmed is in the database.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from placement.data.problems import InputError
from placement.workshop.domain import NOT_ANSWERING, NOT_SAVED, RoomUnavailable
from placement.workshop.store import RoomStore
from tests.conftest import POSTGRES_ENV
from tests.workshop.test_store import FACTORS, MODEL, OTHER_VOTE, VOTE, revision_values

ROOT = Path(__file__).resolve().parents[2]
PG_BINARIES = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))


def need_postgres(reason: str) -> None:
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason} (REQUIRE_POSTGRES=1 forbids skipping)")
    pytest.skip(reason)


def ci_postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        need_postgres(f"needs a PostgreSQL server: set {POSTGRES_ENV}, see .ci/start-postgres")
    return url


# --- SQLite: read-only, full, gone ----------------------------------------------------------------


@pytest.fixture
def sqlite_room(tmp_path):
    path = tmp_path / "rooms.db"
    store = RoomStore(sa.create_engine(f"sqlite:///{path}"))
    code, key = store.create_room("Faults", FACTORS, "sliders", MODEL)
    token = store.join(code, "Ada")
    assert store.submit(code, token, VOTE) == 1
    yield store, path, code, key, token
    store.engine.dispose()


def test_a_read_only_sqlite_file_refuses_the_vote_as_unavailable(sqlite_room):
    store, path, code, key, token = sqlite_room
    store.engine.dispose()
    store.engine = sa.create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(RoomUnavailable) as caught:
        store.submit(code, token, OTHER_VOTE)
    assert str(caught.value) == NOT_SAVED
    with pytest.raises(RoomUnavailable, match="nothing was changed"):
        store.lock(code, key)
    assert store.room(code).round == 1  # reads still work on a read-only file
    store.engine.dispose()
    store.engine = sa.create_engine(f"sqlite:///{path}")  # writable again: the room continues
    assert store.own_vote(code, token).values == VOTE
    assert store.submit(code, token, OTHER_VOTE) == 2


def test_a_full_sqlite_disk_refuses_the_vote_as_unavailable(sqlite_room):
    store, path, code, key, token = sqlite_room
    others = [store.join(code, f"P{i}") for i in range(40)]

    def full(connection, _record):  # no page beyond those the file has: SQLITE_FULL on growth
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count={pages}")

    store.engine.dispose()
    sa.event.listen(store.engine, "connect", full)
    with pytest.raises(RoomUnavailable) as caught:
        for person in others:
            store.submit(code, person, VOTE, comment="x" * 190)
    assert str(caught.value) == NOT_SAVED
    sa.event.remove(store.engine, "connect", full)
    store.engine.dispose()
    assert store.own_vote(code, token).values == VOTE


def test_a_vanished_sqlite_folder_makes_reads_and_writes_unavailable(sqlite_room, tmp_path):
    store, _, code, key, token = sqlite_room
    store.engine.dispose()
    store.engine = sa.create_engine(f"sqlite:///{tmp_path}/gone/rooms.db")
    for read in (lambda: store.room(code), lambda: store.counts(code), lambda: store.own_vote(code, token)):
        with pytest.raises(RoomUnavailable) as caught:
            read()
        assert str(caught.value) == NOT_ANSWERING
    with pytest.raises(RoomUnavailable, match="you have not joined yet"):
        store.join(code, "Bob")
    with pytest.raises(RoomUnavailable, match="^" + NOT_SAVED.replace(".", r"\.") + "$"):
        store.submit(code, token, OTHER_VOTE)


# --- a PostgreSQL cluster of the test's own, stopped and started again ----------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary folder (as root: run as the `postgres` user)."""

    def __init__(self, folder: Path, bin_dir: Path):
        self.folder, self.bin, self.port = folder, bin_dir, _free_port()
        self.data = folder / "data"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, *command: str) -> None:
        user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(user + list(command), check=True, capture_output=True, timeout=120)

    def initdb(self) -> None:
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.folder / "server.log")  # not our pipe: the server outlives pg_ctl
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", log, "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture(scope="module")
def own_cluster():
    if not PG_BINARIES:
        need_postgres("PostgreSQL's binaries (initdb, pg_ctl) are missing: apt-get install postgresql")
    folder = Path(tempfile.mkdtemp(prefix="placement-pg-", dir="/tmp"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    cluster = Cluster(folder, PG_BINARIES[-1].parent)
    cluster.initdb()
    cluster.start()
    try:
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_a_stopped_postgresql_says_not_saved_and_a_restarted_one_continues_the_room(own_cluster):
    store = RoomStore(sa.create_engine(own_cluster.url, pool_pre_ping=True))  # as the app's engine (ui/rooms.py)
    try:
        code, key = store.create_room("Outage", FACTORS, "sliders", MODEL)
        tokens = [store.join(code, f"P{i}") for i in range(4)]
        for person, token in enumerate(tokens[:2]):
            assert store.submit(code, token, revision_values(person, 1)) == 1
        assert store.engine.pool.checkedin() >= 1  # pooled connections, about to go stale

        own_cluster.stop()
        own_cluster.start()  # a restart between two requests: the first one after it works
        assert store.counts(code) == (4, 2)

        own_cluster.stop()
        with pytest.raises(RoomUnavailable) as caught:
            store.submit(code, tokens[2], revision_values(2, 1))
        assert str(caught.value) == NOT_SAVED  # no revision: never a confirmation
        for read in (lambda: store.room(code), lambda: store.counts(code), lambda: store.own_vote(code, tokens[0])):
            with pytest.raises(RoomUnavailable, match="not answering"):
                read()
        with pytest.raises(RoomUnavailable, match="nothing was changed"):
            store.reveal(code, key)

        own_cluster.start()
        assert store.submit(code, tokens[2], revision_values(2, 1)) == 1  # the same store, at once
        assert store.submit(code, tokens[0], revision_values(0, 2)) == 2
        store.reveal(code, key)
        stored = {v.participant: (v.values, v.revision) for v in store.votes(code)}
        assert stored == {
            "P0": (revision_values(0, 2), 2),
            "P1": (revision_values(1, 1), 1),
            "P2": (revision_values(2, 1), 1),
        }
    finally:
        store.engine.dispose()


def test_a_nul_character_never_reaches_postgresql(own_cluster):
    store = RoomStore(sa.create_engine(own_cluster.url, pool_pre_ping=True))
    try:
        code, _ = store.create_room("NUL", FACTORS, "sliders", MODEL)
        with pytest.raises(InputError, match="NUL"):
            store.join(code, "A\x00na")
        token = store.join(code, "Ana")
        with pytest.raises(InputError, match="NUL"):
            store.submit(code, token, VOTE, comment="\x00")
        assert store.participant_name(code, token + "\x00") is None
    finally:
        store.engine.dispose()


# --- SIGKILL: a server killed mid-vote loses no confirmed vote ------------------------------------

VOTER = """
import sys
import sqlalchemy as sa
from placement.workshop.store import RoomStore
from tests.workshop.test_store import revision_values

store = RoomStore(sa.create_engine(sys.argv[1]))
code, tokens = sys.argv[2], sys.argv[3:]
revision = 0
while True:
    revision = revision % 20 + 1
    for person, token in enumerate(tokens):
        confirmed = store.submit(code, token, revision_values(person, revision))
        print(person, confirmed, revision, flush=True)  # a confirmation the participant would see
"""


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_process_killed_with_sigkill_loses_no_confirmed_vote(backend, tmp_path):
    url = f"sqlite:///{tmp_path}/rooms.db" if backend == "sqlite" else ci_postgres_url()
    store = RoomStore(sa.create_engine(url))
    code, key = store.create_room("Killed", FACTORS, "sliders", MODEL)
    tokens = [store.join(code, f"P{i}") for i in range(5)]
    store.engine.dispose()
    voter = subprocess.Popen(
        [sys.executable, "-c", VOTER, url, code, *tokens], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    confirmed: dict[int, tuple[int, int]] = {}  # person -> (revision, the vote's revision number)
    deadline = time.monotonic() + 60
    try:
        while len(confirmed) < len(tokens) or min(r for r, _ in confirmed.values()) < 8:
            line = voter.stdout.readline()
            assert line and time.monotonic() < deadline, "the voting process stopped confirming votes"
            person, revision, sent = map(int, line.split())
            confirmed[person] = (revision, sent)
        voter.send_signal(signal.SIGKILL)  # mid-loop: a submit is most likely in flight
        for line in voter.stdout:  # confirmations printed before the kill
            person, revision, sent = map(int, line.split())
            confirmed[person] = (revision, sent)
    finally:
        voter.kill()
        voter.wait(timeout=20)
        voter.stdout.close()
    assert voter.returncode == -signal.SIGKILL

    reopened = RoomStore(sa.create_engine(url))  # as a restarted server
    try:
        reopened.reveal(code, key)
        stored = {int(v.participant[1:]): v for v in reopened.votes(code)}
        for person, (revision, sent) in confirmed.items():
            vote = stored[person]
            assert vote.revision >= revision  # the confirmed one, or one committed just before the kill
            if vote.revision == revision:
                assert vote.values == revision_values(person, sent)
    finally:
        reopened.engine.dispose()
