"""The Gradio web app: Ask, Compare, Documents, About the index; and the /search, /compare, /ask API.

    app = create_app(Site(engine)); launch(app, site, host, port)
"""
from __future__ import annotations

import functools
import logging

import gradio as gr
from starlette.middleware import Middleware
from uvicorn import config as uvicorn_config

from govsearch.indexing.stores import StoreUnavailable
from govsearch.interfaces.web import exports, render
from govsearch.interfaces.web.guard import RequestGuard
from govsearch.interfaces.web.i18n import t
from govsearch.interfaces.web.site import Site
from govsearch.records import Mode
from govsearch.retrieval.request import MAX_QUERY_CHARS, AskRequest, CompareRequest, QueryError, SearchRequest

log = logging.getLogger("govsearch.app")
EXAMPLES = [
    "What do these declarations say about military AI?",
    "How should personal data and privacy be protected?",
    "role of the United Nations in AI governance",
    "发展中国家的代表性?",
    "人工智能对就业的影响",
    "如何防范人工智能被恐怖分子滥用？",
]
CONCURRENCY = 4
QUEUE_SIZE = 64
# Gradio keeps, per session, a copy of every component's config (~125 kB for this page), 10,000 sessions by
# default; each call of its HTTP API is a new session, so memory grew by that much per call until 1.2 GB.
# 500 sessions bound it near 60 MB; the oldest browser session past that loses its page state (language,
# last result for export). Scripts should use the plain JSON routes of httpapi.py, which keep nothing.
SESSIONS_KEPT = 500


def guarded(fn, lang_index: int | None = None, outputs: int = 1):
    """Page handlers never show a stack trace: a bad query gets its reason, anything else a short note."""

    @functools.wraps(fn)
    def wrapper(*args):
        lang = args[lang_index] if lang_index is not None else "en"
        try:
            return fn(*args)
        except QueryError as error:
            message = render.error(str(error))
        except StoreUnavailable as error:
            log.warning("handler %s failed: %s", fn.__name__, error)
            message = render.error(t("error.store", lang))
        except Exception:  # the page must stay usable whatever failed
            log.exception("handler %s failed", fn.__name__)
            message = render.error(t("error.internal", lang))
        return message if outputs == 1 else (message, *([None] * (outputs - 1)))

    return wrapper


def api_guarded(fn):
    """API endpoints: a bad query is a gr.Error with its reason (the client sees the message)."""

    @functools.wraps(fn)  # gr.api reads the signature: the query first, the rest optional
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except QueryError as error:
            raise gr.Error(str(error)) from None
        except StoreUnavailable as error:
            log.warning("api %s failed: %s", fn.__name__, error)
            raise gr.Error(t("error.store")) from None
        except Exception:
            log.exception("api %s failed", fn.__name__)
            raise gr.Error("internal error; see the server log") from None

    return wrapper


class _Blocks(gr.Blocks):
    """Blocks whose API endpoints may be called with only their first arguments, raw HTTP calls included
    (gradio_client fills in defaults, Gradio's own route refuses short calls with a bare {"error": null})."""

    def validate_inputs(self, block_fn, inputs: list) -> None:
        from gradio.components.api_component import Api

        missing = block_fn.inputs[len(inputs):]
        if missing and all(isinstance(block, Api) for block in missing):  # an API endpoint's inputs hold its defaults
            inputs.extend(block.value for block in missing)  # in place: Gradio reads this same list next
        super().validate_inputs(block_fn, inputs)


def create_app(site: Site) -> gr.Blocks:
    documents = [(d.title, d.id) for d in site.index.documents.values()]
    languages = sorted({p.language for p in site.index.passages})

    with _Blocks(title="govsearch", analytics_enabled=False) as app:
        lang = gr.State("en")
        last_result = gr.State(None)
        with gr.Row():
            title = gr.Markdown(f"## {t('app.title')}\n{t('app.subtitle')}")
            switch = gr.Radio([("English", "en"), ("中文", "zh")], value="en", label=t("app.language"), scale=0, elem_id="gs-lang")

        with gr.Tabs():
            with gr.Tab(t("tab.ask"), id="ask") as ask_tab:
                question = gr.Textbox(label=t("ask.question"), max_length=MAX_QUERY_CHARS, lines=1, elem_id="gs-question")
                with gr.Row():
                    submit = gr.Button(t("ask.submit"), variant="primary", elem_id="gs-submit")
                gr.Examples(EXAMPLES, inputs=[question], label=t("ask.examples"))
                with gr.Accordion(t("ask.filters"), open=False) as filters:
                    with gr.Row():
                        doc_filter = gr.CheckboxGroup(documents, label=t("ask.documents"))
                    with gr.Row():
                        lang_filter = gr.CheckboxGroup(languages, label=t("ask.languages"))
                        year_from = gr.Number(label=t("ask.year_from"), info=t("ask.year_any"), precision=0, value=None)
                        year_to = gr.Number(label=t("ask.year_to"), info=t("ask.year_any"), precision=0, value=None)
                    with gr.Row():
                        unofficial = gr.Checkbox(True, label=t("ask.unofficial"))
                        k = gr.Slider(1, 30, value=8, step=1, label=t("ask.k"))
                        mode = gr.Radio(list(Mode), value=Mode.HYBRID, label=t("ask.mode"))
                results = gr.HTML(render.empty(t("ask.empty")), elem_id="gs-results")
                with gr.Accordion(t("ask.export"), open=False) as export_box:
                    with gr.Row():
                        export_md = gr.Button("Markdown", size="sm")
                        export_csv = gr.Button("CSV", size="sm")
                        export_json = gr.Button("JSON", size="sm")
                    export_file = gr.File(label=t("ask.export"), interactive=False)

            with gr.Tab(t("tab.compare"), id="compare") as compare_tab:
                topics = gr.Textbox(label=t("compare.topics"), lines=3, max_length=MAX_QUERY_CHARS, elem_id="gs-topics")
                compare_unofficial = gr.Checkbox(True, label=t("ask.unofficial"))
                compare_button = gr.Button(t("compare.submit"), variant="primary", elem_id="gs-compare")
                comparison = gr.HTML(render.empty(t("compare.empty")), elem_id="gs-comparison")

            with gr.Tab(t("tab.documents"), id="documents") as docs_tab:
                catalog = gr.HTML(catalog_table(site))
                choices = site.version_choices()
                version = gr.Dropdown(choices, value=choices[0][1] if choices else None, label=t("docs.version"))
                with gr.Row():
                    with gr.Column():
                        clean_label = gr.Markdown(f"#### {t('docs.clean')}")
                        clean_view = gr.HTML()
                    with gr.Column():
                        raw_label = gr.Markdown(f"#### {t('docs.received')}")
                        raw_view = gr.HTML()

            with gr.Tab(t("tab.about"), id="about") as about_tab:
                about_view = gr.HTML(about(site))

        # -- wiring ---------------------------------------------------------------------------------------

        def run_search(q, docs, langs, y0, y1, include, k_value, mode_value, ui_lang):
            result = site.search_with_answer(SearchRequest(
                query=q, k=k_value, mode=mode_value, languages=langs, documents=docs, unofficial=include,
                year_from=y0, year_to=y1))
            answer = result["answer"]
            if not result["hits"]:
                return render.empty(t("ask.no_hits", ui_lang)), result
            cards = "".join(render.hit_card(h, site.neighbours(h), ui_lang) for h in result["hits"])
            return render.notes(result.get("notes", [])) + render.answer_box(answer, ui_lang) + cards, result

        search_inputs = [question, doc_filter, lang_filter, year_from, year_to, unofficial, k, mode, lang]
        for trigger in (submit.click, question.submit):
            trigger(guarded(run_search, lang_index=8, outputs=2), search_inputs, [results, last_result], api_visibility="private")

        def run_compare(text, include, ui_lang):
            wanted = [line.strip() for line in (text or "").splitlines() if line.strip()]
            if not wanted:
                return render.empty(t("compare.empty", ui_lang))
            result = site.compare(CompareRequest(topics=wanted, unofficial=include))
            return render.comparison_table(result, ui_lang) + render.heatmap(result, site.titles, ui_lang)

        compare_button.click(guarded(run_compare, lang_index=2), [topics, compare_unofficial, lang], comparison, api_visibility="private")

        def show_version(version_id, ui_lang):
            return site.show_version(version_id, ui_lang)

        version.change(guarded(show_version, lang_index=1, outputs=2), [version, lang], [clean_view, raw_view], api_visibility="private")
        app.load(guarded(show_version, lang_index=1, outputs=2), [version, lang], [clean_view, raw_view], api_visibility="private")

        export_folder = exports.ExportFolder()

        def export(fmt, result):
            return str(export_folder.write(result, fmt)) if result else None

        export_md.click(lambda r: export("md", r), [last_result], export_file, api_visibility="private")
        export_csv.click(lambda r: export("csv", r), [last_result], export_file, api_visibility="private")
        export_json.click(lambda r: export("json", r), [last_result], export_file, api_visibility="private")

        labelled = [  # (component, {property: text key}) for every text the interface language changes
            (switch, {"label": "app.language"}), (question, {"label": "ask.question"}), (submit, {"value": "ask.submit"}),
            (filters, {"label": "ask.filters"}), (doc_filter, {"label": "ask.documents"}),
            (lang_filter, {"label": "ask.languages"}), (year_from, {"label": "ask.year_from", "info": "ask.year_any"}),
            (year_to, {"label": "ask.year_to", "info": "ask.year_any"}), (unofficial, {"label": "ask.unofficial"}),
            (k, {"label": "ask.k"}), (mode, {"label": "ask.mode"}), (topics, {"label": "compare.topics"}),
            (compare_unofficial, {"label": "ask.unofficial"}), (compare_button, {"value": "compare.submit"}),
            (version, {"label": "docs.version"}), (export_box, {"label": "ask.export"}), (ask_tab, {"label": "tab.ask"}),
            (compare_tab, {"label": "tab.compare"}), (docs_tab, {"label": "tab.documents"}), (about_tab, {"label": "tab.about"}),
        ]

        def relabel(ui_lang):
            headings = [f"## {t('app.title', ui_lang)}\n{t('app.subtitle', ui_lang)}",
                        f"#### {t('docs.clean', ui_lang)}", f"#### {t('docs.received', ui_lang)}"]
            return (ui_lang, *[gr.update(value=h) for h in headings],
                    catalog_table(site, ui_lang), about(site, ui_lang),
                    *[gr.update(**{prop: t(key, ui_lang) for prop, key in texts.items()}) for _, texts in labelled])

        switch.change(relabel, [switch], [lang, title, clean_label, raw_label, catalog, about_view,
                                          *[c for c, _ in labelled]], api_visibility="private")

        # -- the API: the query or topic first, every other argument optional -------------------------------

        def search(query: str, k: int = 10, mode: str = "hybrid", languages: list[str] | None = None,
                   documents: list[str] | None = None, unofficial: bool = True,
                   year_from: int | None = None, year_to: int | None = None,
                   issuers: list[str] | None = None, roles: list[str] | None = None) -> dict:
            """Cited passages for a query, one per statement, best first (same JSON as the CLI's search --json)."""
            return site.search(SearchRequest(
                query=query, k=k, mode=mode, languages=languages, documents=documents, unofficial=unofficial,
                year_from=year_from, year_to=year_to, issuers=issuers, roles=roles))

        def compare(topic: str, more_topics: list[str] | None = None, unofficial: bool = True) -> dict:
            """Per document: whether it addresses the topic and its most relevant passages; a matrix for several topics."""
            more = [more_topics] if isinstance(more_topics, str) else list(more_topics or [])
            return site.compare(CompareRequest(topics=[topic, *more], unofficial=unofficial))

        def ask(question: str, unofficial: bool = True) -> dict:
            """A short extractive answer with numbered citations, and the hits behind it."""
            return site.ask(AskRequest(question=question, unofficial=unofficial))

        for fn in (search, compare, ask):
            gr.api(api_guarded(fn), api_name=fn.__name__)
    return app


def catalog_table(site: Site, ui_lang: str = "en") -> str:
    from html import escape

    counts: dict[str, int] = {}
    for p in site.index.passages:
        counts[p.version_id] = counts.get(p.version_id, 0) + 1
    rows = []
    for d in site.index.documents.values():
        versions = "<br>".join(f"{escape(v.language)} · {escape(render.role_label(v.role, ui_lang))} · {counts.get(v.id, 0)} § · "
                               f"<code>{escape(v.source)}</code>" for v in d.versions)
        title = escape(d.title) + (f"<div class='gs-meta'>{escape(d.title_zh)}</div>" if d.title_zh else "")
        rows.append(f"<tr><td>{title}</td><td>{escape(d.issuer)}</td><td>{escape(d.date)}</td><td>{versions}</td></tr>")
    head = "".join(f"<th>{escape(t(key, ui_lang))}</th>" for key in ("docs.title", "docs.issuer", "docs.date", "docs.versions"))
    return f"<table class='gs-table'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def about(site: Site, ui_lang: str = "en") -> str:
    from html import escape

    m = site.index.manifest
    rows = [
        ("about.model", m.get("model")), ("about.dimension", m.get("dimension")), ("about.index_type", m.get("index_type")),
        ("about.store", site.index.dense.describe()),
        ("about.passages", m["counts"]["passages"]), ("about.groups", m["counts"]["groups"]),
        ("about.documents", m["counts"]["documents"]), ("about.versions", m["counts"]["versions"]),
        ("about.fingerprint", m.get("corpus_fingerprint")), ("about.built", m.get("built_at")),
        ("about.offsets", ", ".join(m.get("language_offsets", [])) or "none"),
        ("about.libraries", ", ".join(f"{k} {v}" for k, v in m.get("libraries", {}).items())),
    ]
    body = "".join(f"<tr><th>{escape(t(key, ui_lang))}</th><td>{escape(str(v))}</td></tr>" for key, v in rows)
    return f"<table class='gs-table'>{body}</table>"


def launch(app: gr.Blocks, site: Site, host: str = "127.0.0.1", port: int = 7860, password: str | None = None,
           share: bool = False, prevent_thread_lock: bool = False):
    from govsearch.interfaces.web.httpapi import USER, json_routes

    app.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    # uvicorn, which Gradio starts, speaks HTTP through this protocol class: ours adds a limit on how long a
    # client may take to send its request headers (set for this process's servers)
    uvicorn_config.HTTP_PROTOCOLS["auto"] = "govsearch.interfaces.web.guard:HeaderTimeoutProtocol"
    return app.launch(
        server_name=host, server_port=port, share=share, show_error=False, quiet=False,
        auth=(USER, password) if password else None, max_file_size="1mb",
        prevent_thread_lock=prevent_thread_lock, css=render.CSS, footer_links=["api"],
        state_session_capacity=SESSIONS_KEPT,
        # plain JSON /search, /compare, /ask beside the page (FastAPI routes, listed before Gradio's own), and in
        # front of everything: no uploads, small bodies, a slowing down of wrong passwords (guard.py)
        app_kwargs={"routes": json_routes(site, password), "middleware": [Middleware(RequestGuard)]},
    )
