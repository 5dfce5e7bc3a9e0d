"""The page of smol studio in parts: one module per section, drawn in order by streamlit_app.py.
Drawing and wiring only: every decision is smol_core's (smol_core/studio)."""
