"""The web app's Gradio parts and the HTML they render (ui.py assembles them)."""
