"""What people and scripts use: the command line (cli), the web app (web/: the Gradio page, its JSON routes,
HTML rendering, labels in English and Chinese, exports), and the JSON and text forms results take there
(serialize, summary)."""
