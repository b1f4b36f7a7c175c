"""Streamlit user interface for the Ofsted report assistant (see app.py)."""
