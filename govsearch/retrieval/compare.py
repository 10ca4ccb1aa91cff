"""What each declaration says about a topic: per document, its most relevant passages and whether it
addresses the topic at all; several topics give a coverage matrix (documents × topics)."""
from __future__ import annotations

from dataclasses import dataclass, field

from govsearch.records import Hit
from govsearch.retrieval.coverage import addresses, probability
from govsearch.retrieval.engine import Engine
from govsearch.retrieval.request import CompareRequest


@dataclass
class DocumentCoverage:
    document_id: str
    title: str
    issuer: str
    date: str
    addressed: bool
    score: float  # coverage probability in [0, 1] of the document's best passage
    passages: list[Hit] = field(default_factory=list)  # empty when the document does not address the topic


@dataclass
class Comparison:
    topics: list[str]
    documents: list[DocumentCoverage]  # for the first topic, addressed first, by score
    matrix: list[list[float]] = field(default_factory=list)  # per document (in `order`), per topic
    addressed: list[list[bool]] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # document ids of the matrix rows


def compare_topics(engine: Engine, request: CompareRequest) -> Comparison:
    allowed = engine.allowed(request)
    documents = [d for d in engine.index.documents.values() if not request.documents or d.id in request.documents]
    # passages are shown for the first topic; the others give the matrix's scores and verdicts only
    per_topic = [_topic(engine, topic, documents, request, allowed, with_passages=i == 0) for i, topic in enumerate(request.topics)]
    first = sorted(per_topic[0], key=lambda d: (not d.addressed, -d.score, d.document_id))
    order = [d.id for d in documents]
    by_id = [{c.document_id: c for c in rows} for rows in per_topic]
    topics = list(request.topics)
    return Comparison(
        topics=topics, documents=first, order=order,
        matrix=[[round(by_id[t][doc].score, 4) for t in range(len(topics))] for doc in order],
        addressed=[[by_id[t][doc].addressed for t in range(len(topics))] for doc in order],
    )


def _topic(engine: Engine, topic: str, documents, request: CompareRequest, allowed, with_passages: bool) -> list[DocumentCoverage]:
    evidence = engine.evidence(topic)
    signals = evidence.by_document(allowed)
    rows = []
    for doc in documents:
        mine = signals.get(doc.id)
        addressed = mine is not None and addresses(mine)
        hits = []
        if addressed and with_passages:
            found = engine.hits_in_document(topic, doc.id, evidence, allowed, request.per_document)
            # The best passage always; the next ones only if they address the topic themselves.
            hits = found[:1] + [h for h in found[1:] if addresses(evidence.of_group(h.passage.group, signals))]
        rows.append(DocumentCoverage(doc.id, doc.title, doc.issuer, doc.date, addressed,
                                     probability(mine) if mine is not None else 0.0, hits))
    return rows
