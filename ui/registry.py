"""Every page of the app, defined once. The sidebar, the guide's links, the join link and the tests read it.

Page files follow Streamlit's `pages/` convention (a deep link runs the page file
directly, see ui.common.page_setup); the URL path is the file's name, so
`pages/join.py` is served at `/join`. `old_paths` are addresses the app used before,
kept working by a redirect.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

ENTRY_FILE = "app.py"


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    file: str  # relative to the app's folder
    icon: str
    section: str
    old_paths: tuple[str, ...] = ()

    @property
    def url_path(self) -> str:
        """The path after the app's address: '' for the start page."""
        return "" if self.file == ENTRY_FILE else PurePosixPath(self.file).stem


PAGES = (
    Page("explore", "Explore", ENTRY_FILE, ":material/explore:", "Decide"),
    Page("how_sure", "How sure are we?", "pages/how_sure.py", ":material/verified:", "Decide", ("Sensitivity",)),
    Page("evidence", "Evidence", "pages/evidence.py", ":material/menu_book:", "Decide", ("Evidence",)),
    Page("make_it_yours", "Make it yours", "pages/make_it_yours.py", ":material/tune:", "Decide", ("Make_it_yours",)),
    Page("scenarios", "Scenarios", "pages/scenarios.py", ":material/compare:", "Decide", ("Scenarios",)),
    Page("run", "Run a workshop", "pages/run.py", ":material/co_present:", "Workshop", ("Workshop",)),
    Page("join", "Join a workshop", "pages/join.py", ":material/how_to_vote:", "Workshop", ("Join",)),
    Page("guide", "Workshop guide", "pages/guide.py", ":material/timer:", "Workshop", ("Guide",)),
    Page("staffing", "Staffing planner", "pages/staffing.py", ":material/groups:", "Workshop", ("Staffing",)),
    Page(
        "decision_record",
        "Decision record",
        "pages/decision_record.py",
        ":material/description:",
        "Workshop",
        ("Decision_record",),
    ),
)
SECTIONS = tuple(dict.fromkeys(p.section for p in PAGES))
PAGE_IDS = tuple(p.id for p in PAGES)
_BY_ID = {p.id: p for p in PAGES}
_BY_OLD_PATH = {old: p for p in PAGES for old in p.old_paths}  # Streamlit matches paths case-sensitively


def page(page_id: str) -> Page:
    return _BY_ID[page_id]


def in_section(section: str) -> list[Page]:
    return [p for p in PAGES if p.section == section]


def moved_to(url_path: str) -> Page | None:
    """The page that an address the app used before now lives at (None if it is not an old address)."""
    return _BY_OLD_PATH.get(url_path.strip("/"))
