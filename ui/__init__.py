"""Streamlit glue shared by the pages: setup, navigation and safe text. No decision logic."""
