"""Streamlit-side helpers shared by app.py and the pages: connection, caching, sidebar, marks."""
