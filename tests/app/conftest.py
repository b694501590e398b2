from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def explore():
    """The Explore page, run once with no query parameters."""
    return AppTest.from_file(APP, default_timeout=30).run()


def leader(at: AppTest) -> str:
    """The first sentence of the 'why it leads' panel names the leader."""
    return why_text(at).splitlines()[0].removeprefix("- ")


def why_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown).replace("\\", "")
