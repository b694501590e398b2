"""Two app servers on one PostgreSQL show the same room (GitHub issue 11).

Needs PLACEMENT_TEST_POSTGRES_URL (see .ci/start-postgres): without it the test skips,
unless REQUIRE_POSTGRES=1 (as in CI), when it fails.
"""

import os

import pytest

from tests.browser.conftest import app_server, create_room, join_and_vote, wait_for_app, wait_for_votes

pytestmark = pytest.mark.browser


@pytest.fixture
def postgres_url() -> str:
    url = os.environ.get("PLACEMENT_TEST_POSTGRES_URL")
    if not url:
        reason = "two servers need a shared PostgreSQL: set PLACEMENT_TEST_POSTGRES_URL, see .ci/start-postgres"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason} (REQUIRE_POSTGRES=1 forbids skipping)")
        pytest.skip(reason)
    return url


def test_a_vote_on_one_server_shows_on_the_other(postgres_url, tmp_path, page, phone):
    env = {"PLACEMENT_DATABASE_URL": postgres_url}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with app_server(tmp_path / "a", env=env) as server_a, app_server(tmp_path / "b", env=env) as server_b:
        page.goto(f"{server_a}/run")
        wait_for_app(page)
        code = create_room(page, "Two servers, one room")

        join_and_vote(phone, server_b, code, "Bea")  # on the other server
        wait_for_votes(page, 1)
        page.get_by_role("button", name="Reveal votes").click()
        page.get_by_text("Consensus:").first.wait_for()
        phone.get_by_text("The room's results").wait_for(timeout=20_000)  # B follows A's reveal
        phone.locator(".st-key-room_ranking tbody tr").first.wait_for(timeout=20_000)
        assert "1 votes" in phone.get_by_text("Consensus:").first.inner_text()
