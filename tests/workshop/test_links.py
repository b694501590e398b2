"""The join address (placement/workshop/links.py): one the phones in the room can reach."""

from __future__ import annotations

import socket

import pytest

from placement.workshop import links
from placement.workshop.links import app_base, is_loopback, join_url, lan_address, public_base

LAN = "192.168.1.20"


def base_of(browser_url, environ=None, secret=None, lan=LAN):
    return public_base(environ or {}, secret, browser_url, lan=lambda: lan)


@pytest.mark.parametrize(
    ("page", "link"),
    [
        ("http://h:8501/run", "http://h:8501/join?room=CODE"),
        ("http://h/app/run?x=1", "http://h/app/join?room=CODE"),
        ("http://h:8501/run/", "http://h:8501/join?room=CODE"),
        ("https://ops.example.com/tools/placement/run#top", "https://ops.example.com/tools/placement/join?room=CODE"),
        ("http://h:8501/run?room=OLD&key=x", "http://h:8501/join?room=CODE"),
        ("http://h:8501/Workshop", "http://h:8501/join?room=CODE"),  # an old address still works
        ("http://h:8501/", "http://h:8501/join?room=CODE"),
    ],
)
def test_the_join_link_sits_next_to_the_facilitators_page(page, link):
    base, warning = base_of(page)
    assert join_url(base, "join", "CODE") == link
    assert warning is None


@pytest.mark.parametrize("join_path", ["join", "/join", "join/"])
def test_join_url_uses_the_path_it_is_given_and_a_clean_code(join_path):
    assert join_url("http://h/app", join_path, " co de ") == "http://h/app/join?room=CODE"
    assert join_url("http://h/app/", "participants", "CODE") == "http://h/app/participants?room=CODE"


@pytest.mark.parametrize("public", ["https://ws.example.com/placement", "https://ws.example.com/placement/"])
def test_a_public_url_wins_over_the_browsers_address_with_or_without_a_trailing_slash(public):
    base, warning = base_of("http://localhost:8501/run", {"PLACEMENT_PUBLIC_URL": public}, secret="http://other:1")
    assert join_url(base, "join", "AB") == "https://ws.example.com/placement/join?room=AB"
    assert warning is None


def test_the_secrets_setting_is_used_when_the_environment_says_nothing():
    base, warning = base_of("http://127.0.0.1:8501/run", {"PLACEMENT_PUBLIC_URL": ""}, secret="http://10.0.0.7:8501/")
    assert (base, warning) == ("http://10.0.0.7:8501", None)
    assert base_of("http://h/run", secret="ws.example.com")[0] == "http://ws.example.com"  # no scheme given


@pytest.mark.parametrize(
    "page",
    [
        "http://localhost:8501/run",
        "http://LOCALHOST:8501/run",
        "http://127.0.0.1:8501/run",
        "http://127.3.2.1:8501/run",
        "http://[::1]:8501/run",
        "http://0.0.0.0:8501/run",
        "http://app.localhost:8501/run",
    ],
)
def test_a_loopback_address_warns_and_names_the_lan_address(page):
    base, warning = base_of(page)
    assert base.endswith(":8501")  # the link is still built, from the browser's address
    assert "only this computer can reach" in warning
    assert f"http://{LAN}:8501/join" in warning
    assert "PLACEMENT_PUBLIC_URL" in warning


def test_the_lan_address_keeps_the_scheme_prefix_and_port_and_brackets_ipv6():
    _, warning = base_of("https://localhost/tools/run")
    assert f"https://{LAN}/tools/join" in warning
    _, warning = base_of("http://[::1]:8501/run", lan="fd00::5")
    assert "http://[fd00::5]:8501/join" in warning


def test_a_public_url_on_loopback_warns_too_and_no_lan_address_is_said_plainly():
    _, warning = base_of("http://h/run", {"PLACEMENT_PUBLIC_URL": "http://127.0.0.1:8501"})
    assert "PLACEMENT_PUBLIC_URL or public_url points at 127.0.0.1" in warning
    _, warning = base_of("http://localhost:8501/run", lan=None)
    assert "no network address" in warning and "PLACEMENT_PUBLIC_URL" in warning


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.0.1.1", "::1", "[::1]", "0.0.0.0"])
def test_loopback_hosts(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["192.168.1.20", "10.0.0.1", "fd00::5", "ops.example.com", "localhost.example.com"])
def test_hosts_phones_can_reach(host):
    assert not is_loopback(host)


def test_app_base_drops_the_page_and_keeps_the_prefix():
    assert app_base("https://host/prefix/run") == "https://host/prefix"
    assert app_base("https://host/run") == "https://host"


class FakeSocket:
    def __init__(self, *args, fail=False, address=LAN):
        self.fail, self.address = fail, address

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def connect(self, target):
        assert target == links.PROBE_ADDRESS  # TEST-NET-1: no packet is sent by a UDP connect
        if self.fail:
            raise OSError("network unreachable")

    def getsockname(self):
        return (self.address, 50000)


def test_lan_address_asks_the_routing_table_then_the_host_name(monkeypatch):
    monkeypatch.setattr(socket, "socket", lambda *a: FakeSocket())
    assert lan_address() == LAN
    monkeypatch.setattr(socket, "socket", lambda *a: FakeSocket(fail=True))
    monkeypatch.setattr(socket, "gethostbyname", lambda name: "10.1.2.3")
    assert lan_address() == "10.1.2.3"
    monkeypatch.setattr(socket, "gethostbyname", lambda name: "127.0.1.1")  # Debian's /etc/hosts entry
    assert lan_address() is None
