"""The house rules a newcomer relies on: one registry knows the page files, pages stay short scripts."""

import ast
import re
from pathlib import Path

import pytest

from scripts import screenshots
from ui import registry

ROOT = Path(__file__).resolve().parents[1]
PAGE_FILES = [ROOT / p.file for p in registry.PAGES]
PAGE_FILE_NAME = re.compile(r"pages/\w+\.py|\bapp\.py\b")


def test_every_page_file_is_registered_once():
    on_disk = {ROOT / "app.py", *(ROOT / "pages").glob("*.py")}
    assert set(PAGE_FILES) == on_disk
    assert len({p.id for p in registry.PAGES}) == len({p.url_path for p in registry.PAGES}) == len(registry.PAGES)


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_pages_are_short_scripts(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 120


def test_only_the_registry_names_page_files():
    """The package, the data files and the other UI modules name pages by id, never by file."""
    offenders = []
    for path in [*ROOT.glob("placement/**/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("data/*.csv")]:
        if path.name != "registry.py" and PAGE_FILE_NAME.search(path.read_text(encoding="utf-8")):
            offenders.append(path.relative_to(ROOT))
    assert offenders == []


def test_old_addresses_lead_to_pages_that_exist_and_clash_with_none():
    current = {p.url_path for p in registry.PAGES}
    for page in registry.PAGES:
        for old in page.old_paths:
            assert registry.moved_to(old) is page
            assert old not in current
    assert registry.moved_to("join") is None  # a current address is never redirected


def test_every_page_has_its_screenshots_in_both_modes_and_the_guide_shows_them():
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    expected = [screenshots.file_name(p, m) for p in registry.PAGE_IDS for m in screenshots.MODES]
    for name in [*expected, screenshots.PHONE_JOIN]:
        assert (screenshots.FOLDER / name).is_file(), f"run `make screenshots`: {name} is missing"
        assert f"](screenshots/{name})" in guide, f"docs/guide.md does not show {name}"


def test_the_readme_is_a_front_door():
    """What it is, the two commands first, a workshop quick start, and the rest in docs/."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    commands = re.findall(r"^make (\w+)", readme, re.M)
    assert commands[:2] == ["run", "test"]
    assert "## Workshop quick start" in readme and "PLACEMENT_PUBLIC_URL" in readme


LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)|src=\"([^\"]+)\"")


@pytest.mark.parametrize("document", [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))], ids=lambda p: p.name)
def test_every_relative_link_in_the_documents_leads_to_a_file(document):
    text = document.read_text(encoding="utf-8")
    targets = [a or b for a, b in LINK.findall(text)]
    broken = [t for t in targets if "://" not in t and not (document.parent / t).exists()]
    assert broken == []


def test_app_py_imports_only_streamlit_the_package_and_ui():
    """import-linter takes packages only, so the entry script's layer is checked here."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    imported = {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    assert imported <= {"streamlit", "placement", "ui", "__future__"}


PRODUCT_FILES = sorted(
    [ROOT / "app.py", *ROOT.glob("placement/**/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("pages/*.py")]
)


@pytest.mark.parametrize("path", PRODUCT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_product_modules_and_classes_stay_readable(path):
    """A module a newcomer can read in one sitting: at most 600 lines, no class over 400."""
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 600
    classes = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ClassDef)]
    assert {c.name: c.end_lineno - c.lineno + 1 for c in classes if c.end_lineno - c.lineno + 1 > 400} == {}
