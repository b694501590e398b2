"""Product Ops placement decision model: loading, scoring and explaining.

This package never imports Streamlit, so everything here is usable from the
command line, from tests and from the pages alike.
"""
