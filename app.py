"""The app's entry point: Streamlit's own menu of every page (ui.registry), then the page chosen.

One navigation message draws the menu, instead of a page link per page on every rerun of every page.
"""

import streamlit as st

from ui import registry

menu = {
    section: [
        st.Page(page.file, title=page.title, icon=page.icon, url_path=page.url_path, default=page.is_start)
        for page in registry.in_section(section)
    ]
    for section in registry.SECTIONS
}
st.navigation(menu, expanded=True).run()
