"""CCHC analytics: the store, the computations and the headless CLI. Never imports streamlit."""
