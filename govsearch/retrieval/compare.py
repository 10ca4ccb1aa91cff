"""What each declaration says about a topic: per document, its most relevant passages and whether it
addresses the topic at all; several topics give a coverage matrix (documents × topics)."""
from __future__ import annotations

from dataclasses import dataclass, field

from govsearch.retrieval.coverage import addresses, coverage
from govsearch.records import Hit
from govsearch.retrieval.engine import Engine, SearchRequest, normalise_query

MAX_TOPICS = 8


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


def compare_topics(engine: Engine, topics: list[str], per_document: int = 3, exclude_roles: tuple[str, ...] = ()) -> Comparison:
    topics = [normalise_query(t) for t in topics if t and t.strip()]
    if not topics:
        from govsearch.retrieval.engine import QueryError

        raise QueryError("give at least one topic")
    if len(topics) > MAX_TOPICS:
        from govsearch.retrieval.engine import QueryError

        raise QueryError(f"at most {MAX_TOPICS} topics at once")
    documents = list(engine.index.documents.values())
    per_topic = [_topic(engine, topic, documents, per_document, exclude_roles) for topic in topics]
    first = sorted(per_topic[0], key=lambda d: (not d.addressed, -d.score, d.document_id))
    order = [d.id for d in documents]
    by_id = [{c.document_id: c for c in rows} for rows in per_topic]
    return Comparison(
        topics=topics, documents=first, order=order,
        matrix=[[round(by_id[t][doc].score, 4) for t in range(len(topics))] for doc in order],
        addressed=[[by_id[t][doc].addressed for t in range(len(topics))] for doc in order],
    )


def _topic(engine: Engine, topic: str, documents, per_document: int, exclude_roles) -> list[DocumentCoverage]:
    dense, lexical = engine.evidence(topic)
    floor = min(dense.values(), default=0.0)
    top = float(lexical.max()) if len(lexical) else 0.0
    best: dict[str, tuple[float, float]] = {}
    for i, p in enumerate(engine.index.passages):
        if p.role in exclude_roles:
            continue
        d, b = dense.get(i, floor), float(lexical[i])
        if coverage(d, b, top) > coverage(*best.get(p.document_id, (-1.0, 0.0)), top):
            best[p.document_id] = (d, b)
    rows = []
    for doc in documents:
        d, b = best.get(doc.id, (floor, 0.0))
        addressed = addresses(d, b, top)
        hits = []
        if addressed:
            request = SearchRequest(topic, k=per_document, documents=(doc.id,), exclude_roles=tuple(exclude_roles))
            found = engine.search(request).hits
            # The best passage always; the next ones only if they address the topic themselves.
            hits = found[:1] + [h for h in found[1:] if addresses(*_group_evidence(engine, h, dense, lexical, floor), top)]
        rows.append(DocumentCoverage(doc.id, doc.title, doc.issuer, doc.date, addressed, coverage(d, b, top), hits))
    return rows


def _group_evidence(engine: Engine, hit: Hit, dense, lexical, floor) -> tuple[float, float]:
    members = engine.index.groups[hit.passage.group]
    return max(dense.get(i, floor) for i in members), max(float(lexical[i]) for i in members)
