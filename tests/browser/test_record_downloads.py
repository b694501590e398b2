"""Every download button on the decision record gives its file in Chromium, and each file opens as its kind.

While other sessions run (here two workshop boards, which refresh every 3 seconds), a file made on the click
was removed by their runs before the browser fetched it: the HTML failed 2 of 2 times and the CSV 1 of 2.
"""

import csv
import io

import pytest

from tests.browser.conftest import create_room, wait_for_app
from ui import registry

pytestmark = pytest.mark.browser

BUTTONS = {
    "Download Markdown": "decision-record.md",
    "Download HTML (with charts)": "decision-record.html",
    "Download PDF": "decision-record.pdf",
    "Download the numbers (CSV)": "decision-record.csv",
}


def download(page, label: str) -> tuple[str, bytes]:
    with page.expect_download(timeout=60_000) as started:
        page.get_by_role("button", name=label).click()
    got = started.value
    assert got.failure() is None, f"{label}: {got.failure()}"
    return got.suggested_filename, got.path().read_bytes()


def test_each_download_button_gives_its_file(fresh_server, page, phone, laptop):
    for board in (phone, laptop):  # other sessions, running every 3 s
        board.goto(f"{fresh_server}/{registry.page('run').url_path}")
        wait_for_app(board)
        create_room(board, "Elsewhere")
    page.goto(f"{fresh_server}/{registry.page('decision_record').url_path}?preset=author")
    wait_for_app(page)
    page.get_by_label("The decision").fill("Product Ops reports to the Head of Product.")
    page.get_by_label("The decision").press("Control+Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Make the HTML (with charts) and PDF").click()
    page.get_by_role("button", name="Download HTML (with charts)").wait_for(timeout=60_000)
    wait_for_app(page)
    files = {}
    for _ in range(2):  # twice each: a second click of the same button must work too
        for label, name in BUTTONS.items():
            found, data = download(page, label)
            assert found == name
            files[name] = data
            wait_for_app(page)
    markdown = files["decision-record.md"].decode()
    assert markdown.startswith("# Decision record") and "Product Ops reports to the Head of Product." in markdown
    page_html = files["decision-record.html"].decode()
    assert page_html.lstrip().lower().startswith("<!doctype html") and page_html.count("<svg") == 2
    assert "Product Ops reports to the Head of Product." in page_html
    assert files["decision-record.pdf"].startswith(b"%PDF-")
    rows = list(csv.reader(io.StringIO(files["decision-record.csv"].decode())))
    assert rows[0] == ["section", "item", "detail", "value"]
    leader = next(r for r in rows if r[0] == "ranking" and r[2] == "rank" and r[3] == "1")
    assert leader[1] == "Reports to the Head of Product"
