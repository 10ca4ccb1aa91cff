"""Records → plain JSON-ready dicts, shared by the CLI, the web app's API and the evaluation."""
from __future__ import annotations

from govsearch.indexing.index_format import documents_json, passage_json

__all__ = ["answer_json", "comparison_json", "documents_json", "hit_json", "passage_json", "result_json"]


def hit_json(hit) -> dict:
    p = hit.passage
    return {
        "rank": hit.rank, "score": hit.score, "similarity": hit.similarity, "text": p.text, "citation": hit.citation,
        "document_id": p.document_id, "title": hit.title, "issuer": hit.issuer, "date": hit.date,
        "language": p.language, "role": p.role, "section": p.section, "article": p.article, "ordinal": p.ordinal,
        "sentence": hit.sentence,
        "passage_id": p.id, "version_id": p.version_id, "group": p.group, "source": p.source, "start": p.start, "end": p.end,
        "versions": [
            {"passage_id": v.passage_id, "text": v.text, "language": v.language, "role": v.role, "source": v.source,
             "start": v.start, "end": v.end, "ordinal": v.ordinal, "citation": v.citation}
            for v in hit.versions
        ],
    }


def result_json(result) -> dict:
    out = {"query": result.query, "mode": result.mode, "hits": [hit_json(h) for h in result.hits],
           "timings_ms": {k: round(v, 2) for k, v in result.timings.items()}}
    if result.notes:
        out["notes"] = result.notes
    return out


def comparison_json(comparison) -> dict:
    out = {
        "topics": comparison.topics,
        "documents": [
            {"document_id": d.document_id, "title": d.title, "issuer": d.issuer, "date": d.date,
             "addressed": d.addressed, "score": round(d.score, 4), "passages": [hit_json(h) for h in d.passages]}
            for d in comparison.documents
        ],
    }
    if len(comparison.topics) > 1:
        out["matrix"] = {
            "documents": comparison.order, "topics": comparison.topics,
            "scores": comparison.matrix, "addressed": comparison.addressed,
        }
    return out


def answer_json(answer) -> dict:
    return {
        "question": answer.question, "answer": answer.answer, "found": answer.found, "generated_by": answer.generated_by,
        "citations": [
            {"number": c.number, "passage_id": c.passage_id, "document_id": c.document_id, "title": c.title,
             "ordinal": c.ordinal, "language": c.language, "role": c.role, "citation": c.citation, "text": c.text}
            for c in answer.citations
        ],
        "hits": [hit_json(h) for h in answer.hits],
    }
