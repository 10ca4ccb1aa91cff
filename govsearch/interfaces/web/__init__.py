"""The web app: site (what is served, behind every page and API), app (the Gradio page and API), httpapi (plain
JSON /search, /compare, /ask), render (results → HTML), i18n (labels), exports (Markdown, CSV, JSON files)."""
