"""Results → HTML for the web app. Every piece of corpus text goes through html.escape: a passage that
contains markup or Markdown shows as text, never as a link or a script."""
from __future__ import annotations

from html import escape

from govsearch.interfaces.web.i18n import LABELS, t

CSS = """
.gs-answer {border-left: 4px solid #2563eb; padding: 10px 14px; background: #eff6ff; border-radius: 6px; margin-bottom: 14px;}
.gs-answer .gs-cites {font-size: 0.85em; color: #374151; margin-top: 8px;}
.gs-hit {border: 1px solid #d1d5db; border-radius: 8px; padding: 12px 14px; margin-bottom: 12px; background: #fff;}
.gs-hit-head {display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap;}
.gs-rank {font-weight: 700; color: #1d4ed8;}
.gs-cite {font-weight: 600;}
.gs-meta {font-size: 0.85em; color: #4b5563;}
.gs-bar {height: 6px; background: #e5e7eb; border-radius: 3px; margin: 6px 0 8px 0; max-width: 320px;}
.gs-bar > div {height: 6px; background: #2563eb; border-radius: 3px;}
.gs-text mark {background: #fde68a; padding: 0 1px;}
.gs-hit details {margin-top: 6px; font-size: 0.92em;}
.gs-hit details summary {cursor: pointer; color: #1d4ed8;}
.gs-version {border-top: 1px dashed #d1d5db; padding-top: 6px; margin-top: 6px;}
.gs-context {color: #6b7280;}
.gs-empty {color: #6b7280; font-style: italic; padding: 12px;}
.gs-note {color: #92400e; background: #fffbeb; border: 1px solid #fde68a; padding: 8px 12px; border-radius: 6px; margin-bottom: 10px;}
.gs-error {color: #991b1b; background: #fef2f2; border: 1px solid #fecaca; padding: 10px 14px; border-radius: 6px;}
.gs-table {border-collapse: collapse; width: 100%; font-size: 0.92em;}
.gs-table th, .gs-table td {border: 1px solid #e5e7eb; padding: 6px 8px; vertical-align: top; text-align: left;}
.gs-no {color: #9ca3af; font-style: italic;}
.gs-doc pre, .gs-raw {white-space: pre-wrap; font-family: inherit;}
.gs-raw del {background: #fee2e2; color: #991b1b;}
.gs-raw ins {background: #dcfce7; text-decoration: none;}
.gs-para {margin: 0 0 10px 0;}
.gs-para b {color: #1d4ed8; margin-right: 6px;}
"""


def error(message: str) -> str:
    return f'<div class="gs-error" role="alert">{escape(message)}</div>'


def notes(messages: list[str]) -> str:
    return "".join(f'<div class="gs-note" role="note">{escape(m)}</div>' for m in messages)


def empty(message: str) -> str:
    return f'<div class="gs-empty">{escape(message)}</div>'


def highlighted(text: str, sentence: str) -> str:
    """The passage with its best-matching sentence marked."""
    at = text.find(sentence) if sentence and sentence != text else -1
    if at < 0:
        return escape(text)
    return escape(text[:at]) + f"<mark>{escape(sentence)}</mark>" + escape(text[at + len(sentence):])


def role_label(role: str, lang: str) -> str:
    """A version role in the interface language; a role the labels do not know is shown as it is."""
    return t(f"role.{role}", lang) if f"role.{role}" in LABELS else role


def hit_card(hit: dict, neighbours: tuple[str, str], lang: str) -> str:
    """One hit as a card: rank, citation, score bar, passage with the sentence marked, context, versions."""
    width = max(2, min(100, round(hit["score"] * 100)))
    before, after = neighbours
    context = ""
    if before or after:
        context = (
            f"<details><summary>{t('hit.context', lang)}</summary>"
            + (f'<p class="gs-context">{escape(before)}</p>' if before else "")
            + f"<p><b>§{hit['ordinal']}</b> {escape(hit['text'])}</p>"
            + (f'<p class="gs-context">{escape(after)}</p>' if after else "")
            + "</details>"
        )
    versions = ""
    if hit["versions"]:
        items = "".join(
            f'<div class="gs-version"><div class="gs-meta">{escape(v["citation"])} · {escape(role_label(v["role"], lang))}</div>'
            f'<div lang="{escape(v["language"])}">{escape(v["text"])}</div></div>'
            for v in hit["versions"]
        )
        versions = f"<details><summary>{t('hit.versions', lang)} ({len(hit['versions'])})</summary>{items}</details>"
    section = f" · {escape(hit['section'])}" if hit["section"] else ""
    return (
        f'<div class="gs-hit" data-passage="{escape(hit["passage_id"])}">'
        f'<div class="gs-hit-head"><span class="gs-rank">{hit["rank"]}.</span>'
        f'<span class="gs-cite">{escape(hit["citation"])}</span></div>'
        f'<div class="gs-meta">{escape(role_label(hit["role"], lang))}{section} · {t("hit.score", lang)} {hit["score"]:.2f}'
        f' · {escape(hit["source"])}:{hit["start"]}-{hit["end"]}</div>'
        f'<div class="gs-bar" title="{hit["score"]:.2f}"><div style="width:{width}%"></div></div>'
        f'<div class="gs-text" lang="{escape(hit["language"])}">{highlighted(hit["text"], hit["sentence"])}</div>'
        f"{context}{versions}</div>"
    )


def answer_box(answer: dict, lang: str) -> str:
    cites = "".join(f"<div>[{c['number']}] {escape(c['citation'])}</div>" for c in answer["citations"])
    source = "" if answer["generated_by"] == "extractive" else f"<div class='gs-meta'>{escape(answer['generated_by'])}</div>"
    return (
        f'<div class="gs-answer"><div><b>{t("ask.answer", lang)}</b></div>'
        f'<div class="gs-answer-text">{escape(answer["answer"])}</div>'
        f'<div class="gs-cites">{cites}</div>{source}</div>'
    )


def comparison_table(comparison: dict, lang: str) -> str:
    rows = []
    for d in comparison["documents"]:
        if d["addressed"] and d["passages"]:
            first = d["passages"][0]
            cell = f'<div lang="{escape(first["language"])}">{highlighted(first["text"], first["sentence"])}</div>'
            cell += f'<div class="gs-meta">{escape(first["citation"])}</div>'
            for more in d["passages"][1:]:
                cell += f'<details><summary>{escape(more["citation"])}</summary>{escape(more["text"])}</details>'
            status = t("compare.addressed", lang)
        else:
            cell = f'<span class="gs-no">{t("compare.not_addressed", lang)}</span>'
            status = f'<span class="gs-no">{t("compare.not_addressed", lang)}</span>'
        rows.append(
            f'<tr data-document="{escape(d["document_id"])}" data-addressed="{str(d["addressed"]).lower()}">'
            f'<td><b>{escape(d["title"])}</b><div class="gs-meta">{escape(d["issuer"])}, {escape(d["date"])}</div></td>'
            f"<td>{status}<div class='gs-meta'>{d['score']:.2f}</div></td><td>{cell}</td></tr>"
        )
    head = f"<tr><th>{t('compare.document', lang)}</th><th>{t('compare.status', lang)}</th><th>{t('compare.passage', lang)}</th></tr>"
    return f'<table class="gs-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def heatmap(comparison: dict, titles: dict[str, str], lang: str) -> str:
    """Documents × topics, each cell coloured by its coverage score (a mark where addressed)."""
    matrix = comparison.get("matrix")
    if not matrix:
        return ""
    head = "".join(f"<th>{escape(topic)}</th>" for topic in matrix["topics"])
    rows = []
    for doc, scores, flags in zip(matrix["documents"], matrix["scores"], matrix["addressed"]):
        cells = "".join(
            f'<td style="background: rgba(37,99,235,{0.08 + 0.8 * s:.2f}); color: {"#fff" if s > 0.55 else "#111"}">'
            f'{s:.2f}{" ✓" if a else ""}</td>'
            for s, a in zip(scores, flags)
        )
        rows.append(f"<tr><td>{escape(titles.get(doc, doc))}</td>{cells}</tr>")
    return (f"<h4>{t('compare.heatmap', lang)}</h4><table class='gs-table gs-heatmap'><thead><tr><th></th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def clean_version(passages: list, lang: str) -> str:
    paragraphs = []
    section = None
    for p in passages:
        if p.section and p.section != section:
            paragraphs.append(f"<h4>{escape(p.section)}</h4>")
            section = p.section
        paragraphs.append(f'<p class="gs-para" lang="{escape(p.language)}"><b>§{p.ordinal}</b>{escape(p.text)}</p>')
    return "".join(paragraphs) or empty(t("docs.empty", lang))


def received_text(text: str, repairs: list[dict], start: int, end: int) -> str:
    """The received text of [start, end) with what cleaning removed struck out and what it restored shown."""
    out, position = [], start
    for r in sorted((r for r in repairs if start <= r["start"] < end), key=lambda r: r["start"]):
        if r["start"] < position:
            continue
        out.append(escape(text[position:r["start"]]))
        removed = escape(text[r["start"]:r["end"]])
        title = escape(r["kind"])
        out.append(f'<del title="{title}">{removed}</del>')
        if r["after"]:
            out.append(f'<ins title="{title}">{escape(r["after"])}</ins>')
        position = r["end"]
    out.append(escape(text[position:end]))
    return f'<div class="gs-raw">{"".join(out)}</div>'
