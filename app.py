"""The app's entry point: Streamlit's own menu of every page (ui.registry), then the page chosen.

One navigation message draws the menu, instead of a page link per page on every rerun of every page.
The menu is one list, in the registry's order (deciding, then running a workshop): Streamlit's menu with
section headings nests the pages in a list without list items, which screen readers misreport (axe: list,
listitem).
"""

import streamlit as st

from ui import registry

menu = [
    st.Page(page.file, title=page.title, icon=page.icon, url_path=page.url_path, default=page.is_start)
    for page in registry.PAGES
]
st.navigation(menu, expanded=True).run()
