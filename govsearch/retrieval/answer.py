"""A short answer to a question, built from the best sentences of the top hits, each with a citation [n].

Extractive by default. With an OpenAI-compatible endpoint configured (GOVSEARCH_LLM_URL, GOVSEARCH_LLM_MODEL
and optionally GOVSEARCH_LLM_API_KEY), the retrieved passages go to the model with a prompt that asks for
an answer grounded in them and cited with the same numbers; without that configuration nothing is sent
anywhere.
"""
from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from govsearch.crosslingual.query import own_tokens
from govsearch.records import Hit, Role
from govsearch.retrieval.coverage import ANSWER_HITS, AnswerSignals, answerable, model, probability
from govsearch.retrieval.engine import Engine, SearchResult
from govsearch.retrieval.request import AskRequest, SearchRequest
from govsearch.text.unicode_scripts import CJK, HAS_CJK

NOTHING_FOUND = "Nothing relevant found in the corpus for this question."
NOTHING_FOUND_ZH = "语料库中没有找到与该问题相关的内容。"
MAX_SENTENCES = 4
CANDIDATE_HITS = 8
LLM_TIMEOUT = 60
WORD_OR_HANZI = re.compile(f"[a-z0-9]+|[{CJK}]")


@dataclass
class Citation:
    number: int
    passage_id: str
    document_id: str
    title: str
    ordinal: int
    language: str
    role: Role
    citation: str
    text: str


@dataclass
class Answer:
    question: str
    answer: str
    citations: list[Citation] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    found: bool = False
    generated_by: str = "extractive"  # or the model name of a configured endpoint


def ask(engine: Engine, request: AskRequest) -> Answer:
    search = SearchRequest(query=request.question, k=CANDIDATE_HITS, **request.filters().model_dump())
    return answer_from(engine, engine.search(search), request.generate)


def answer_from(engine: Engine, result: SearchResult, generate: bool | None = None) -> Answer:
    """The answer built from a search already made (the web page answers from the hits it shows, filters and
    all): nothing when the corpus does not answer the question (coverage.answerable), else the best sentences
    of the hits that address it, in the order of the ranking. (Ordering them by coverage probability instead cited
    a relevant passage first for 0.709 of the wide dev questions, against 0.734 in rank order: eval/README.md.)"""
    question = result.query
    hits = result.hits[:CANDIDATE_HITS]
    signals, probabilities = answer_signals(engine, question, hits)
    relevant = [h for h, p in zip(hits, probabilities) if p >= model()["threshold"]]
    if not relevant or not answerable(signals):
        chinese = bool(HAS_CJK.search(question))
        return Answer(question, NOTHING_FOUND_ZH if chinese else NOTHING_FOUND, [], result.hits, False)
    answer = extractive(question, relevant)
    answer.hits = result.hits
    if generate is None:
        generate = llm_configured()
    if generate:
        answer = generative(question, answer)
    return answer


def answer_signals(engine: Engine, question: str, hits: list[Hit]) -> tuple[AnswerSignals, list[float]]:
    """The question's answerability signals, and each hit's coverage probability."""
    evidence = engine.evidence(question)
    ranks = evidence.by_document()
    per_hit = [evidence.of_group(h.passage.group, ranks) for h in hits]
    probabilities = [probability(s) for s in per_hit]
    first = per_hit[:ANSWER_HITS]
    known = engine.index.lexical.known_share(own_tokens(question))
    if not first:
        return AnswerSignals(0.0, 0.0, known, 0.0, 0.0), probabilities
    return AnswerSignals(max(probabilities[:ANSWER_HITS]), max(s.term_coverage for s in first), known,
                         probabilities[0], first[0].term_coverage), probabilities


def extractive(question: str, hits: list[Hit]) -> Answer:
    """The best sentence of each relevant hit, in rank order, no sentence twice, each cited."""
    parts, citations, seen = [], [], []
    for hit in hits:
        sentence = hit.sentence.strip()
        key = _words(sentence)
        if not sentence or any(_similar(key, other) for other in seen):
            continue
        seen.append(key)
        number = len(citations) + 1
        citations.append(_citation(number, hit))
        parts.append(f"{sentence} [{number}]")
        if len(parts) == MAX_SENTENCES:
            break
    return Answer(question, " ".join(parts), citations, [], True)


def _citation(number: int, hit: Hit) -> Citation:
    p = hit.passage
    return Citation(number, p.id, p.document_id, hit.title, p.ordinal, p.language, p.role, hit.citation, p.text)


def _words(text: str) -> frozenset[str]:
    return frozenset(WORD_OR_HANZI.findall(text.lower()))


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a and b) and len(a & b) / len(a | b) >= 0.8


# --- an optional generative answer ----------------------------------------------------------------------


def llm_configured() -> bool:
    return bool(os.environ.get("GOVSEARCH_LLM_URL") and os.environ.get("GOVSEARCH_LLM_MODEL"))


PROMPT = """Answer the question using only the numbered passages below. After every sentence, cite the passages
it rests on as [n]. If the passages do not answer the question, say so. Answer in the language of the question.

Question: {question}

Passages:
{passages}
"""


def generative(question: str, extractive_answer: Answer) -> Answer:
    """Ask the configured endpoint; on any failure keep the extractive answer and say why."""
    url = os.environ["GOVSEARCH_LLM_URL"].rstrip("/") + "/chat/completions"
    model = os.environ["GOVSEARCH_LLM_MODEL"]
    passages = "\n\n".join(f"[{c.number}] {c.citation}\n{c.text}" for c in extractive_answer.citations)
    body = {
        "model": model, "temperature": 0,
        "messages": [
            {"role": "system", "content": "You answer questions about AI-governance declarations, citing sources."},
            {"role": "user", "content": PROMPT.format(question=question, passages=passages)},
        ],
    }
    headers = {"Content-Type": "application/json"}
    if key := os.environ.get("GOVSEARCH_LLM_API_KEY"):
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(url, json.dumps(body).encode("utf-8"), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=LLM_TIMEOUT) as response:
            text = json.loads(response.read().decode("utf-8"))["choices"][0]["message"]["content"].strip()
    except (urllib.error.URLError, OSError, ValueError, KeyError, IndexError, TypeError) as error:
        extractive_answer.generated_by = f"extractive (the model endpoint failed: {error.__class__.__name__})"
        return extractive_answer
    valid = {c.number for c in extractive_answer.citations}
    # A citation the model made up is removed rather than shown as if it resolved.
    text = re.sub(r"\[(\d+)\]", lambda m: m.group() if int(m.group(1)) in valid else "", text)
    used = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    return Answer(question, text, [c for c in extractive_answer.citations if c.number in used] or extractive_answer.citations,
                  extractive_answer.hits, True, model)
