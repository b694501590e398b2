"""Every page of the app, defined once. The menu (app.py), the guide's links, the join link and the tests read it.

The URL path is the page file's name, so `pages/join.py` is served at `/join`; the start page
(Explore) is served at the app's address. `old_paths` are addresses the app used before, kept
working by a redirect (ui.common.redirect_old_address).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

START_PAGE = "explore"


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    file: str  # relative to the app's folder
    icon: str
    old_paths: tuple[str, ...] = ()

    @property
    def is_start(self) -> bool:
        return self.id == START_PAGE

    @property
    def url_path(self) -> str:
        """The path after the app's address: '' for the start page."""
        return "" if self.is_start else PurePosixPath(self.file).stem


PAGES = (  # in the menu's order: deciding first, then running a workshop
    Page(START_PAGE, "Explore", "pages/explore.py", ":material/explore:"),
    Page("how_sure", "How sure are we?", "pages/how_sure.py", ":material/verified:", ("Sensitivity",)),
    Page("evidence", "Evidence", "pages/evidence.py", ":material/menu_book:", ("Evidence",)),
    Page("make_it_yours", "Make it yours", "pages/make_it_yours.py", ":material/tune:", ("Make_it_yours",)),
    Page("scenarios", "Scenarios", "pages/scenarios.py", ":material/compare:", ("Scenarios",)),
    Page("run", "Run a workshop", "pages/run.py", ":material/co_present:", ("Workshop",)),
    Page("join", "Join a workshop", "pages/join.py", ":material/how_to_vote:", ("Join",)),
    Page("guide", "Workshop guide", "pages/guide.py", ":material/timer:", ("Guide",)),
    Page("staffing", "Staffing planner", "pages/staffing.py", ":material/groups:", ("Staffing",)),
    Page(
        "decision_record", "Decision record", "pages/decision_record.py", ":material/description:", ("Decision_record",)
    ),
)
PAGE_IDS = tuple(p.id for p in PAGES)
_BY_ID = {p.id: p for p in PAGES}
_BY_OLD_PATH = {old: p for p in PAGES for old in p.old_paths}  # Streamlit matches paths case-sensitively


def page(page_id: str) -> Page:
    return _BY_ID[page_id]


def moved_to(url_path: str) -> Page | None:
    """The page that an address the app used before now lives at (None if it is not an old address)."""
    return _BY_OLD_PATH.get(url_path.strip("/"))
