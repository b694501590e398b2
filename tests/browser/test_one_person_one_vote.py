"""Issue 11 in real browsers: a browser is one participant, and a forwarded link is not an identity."""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_for_app
from tests.browser.test_join import join, open_room

pytestmark = pytest.mark.browser


def test_joining_again_from_the_same_browser_returns_the_same_participant(fresh_server, tmp_path, phone):
    store, code, key, _ = open_room(tmp_path)
    join(phone, fresh_server, code, "Ana")
    for _ in range(3):  # the bare room link again, as a person (or a script in this browser) would
        phone.goto(f"{fresh_server}/join?room={code}")
        wait_for_app(phone)
        phone.get_by_text("You are in as Ana").wait_for()
        assert phone.get_by_role("button", name="Join").count() == 0
    assert store.counts(code)[0] == 1
    assert [p.name for p in store.participants(code, key)] == ["Ana"]
    assert "placement_device" in [c["name"] for c in phone.context.cookies()]


def test_a_forwarded_participant_link_asks_the_new_person_to_join_as_themselves(fresh_server, tmp_path, phone, laptop):
    store, code, key, _ = open_room(tmp_path)
    join(phone, fresh_server, code, "Ana")
    wait_for_app(phone)
    link = phone.url
    assert "p=" in link
    laptop.goto(link)  # another browser: its own cookies
    wait_for_app(laptop)
    laptop.get_by_text("does not sign you in").wait_for()
    assert laptop.get_by_text("You are in as Ana").count() == 0
    join(laptop, fresh_server, code, "Bob")
    assert [p.name for p in store.participants(code, key)] == ["Ana", "Bob"]
    phone.reload()
    wait_for_app(phone)
    phone.get_by_text("You are in as Ana").wait_for()
