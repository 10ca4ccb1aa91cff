"""What the web app serves, behind both its page and its APIs: the engine, loaded once, and the lookups and
operations the pages need. Operations take the request models and answer with the CLI's JSON."""
from __future__ import annotations

from govsearch.indexing import index_format
from govsearch.interfaces.serialize import answer_json, comparison_json, result_json
from govsearch.interfaces.web import render
from govsearch.interfaces.web.i18n import t
from govsearch.records import passages_by_version
from govsearch.retrieval.answer import answer_from
from govsearch.retrieval.answer import ask as answer_question
from govsearch.retrieval.compare import compare_topics
from govsearch.retrieval.engine import Engine, SearchResult
from govsearch.retrieval.request import AskRequest, CompareRequest, SearchRequest


class Site:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.index = engine.index
        self.by_version = passages_by_version(self.index.passages)
        self.titles = {d.id: d.title for d in self.index.documents.values()}
        # read now, not when the Documents tab asks: later builds may prune this build's folder
        self.repairs = index_format.read_jsonl(self.index.build_dir / index_format.REPAIRS)

    # -- the operations behind both the pages and the APIs ---------------------------------------------

    def search_result(self, request: SearchRequest) -> SearchResult:
        return self.engine.search(request)

    def search(self, request: SearchRequest) -> dict:
        return result_json(self.engine.search(request))

    def search_with_answer(self, request: SearchRequest) -> dict:
        """The search's JSON plus the answer built from the hits it shows (so the answer respects the filters
        and cites only what is listed), under "answer" (None without hits)."""
        found = self.engine.search(request)
        result = result_json(found)
        result["answer"] = answer_json(answer_from(self.engine, found)) if found.hits else None
        return result

    def compare(self, request: CompareRequest) -> dict:
        return comparison_json(compare_topics(self.engine, request))

    def ask(self, request: AskRequest) -> dict:
        return answer_json(answer_question(self.engine, request))

    # -- lookups for the pages ------------------------------------------------------------------------------

    def neighbours(self, hit: dict) -> tuple[str, str]:
        siblings = self.by_version.get(hit["version_id"], [])
        i = hit["ordinal"] - 1
        before = siblings[i - 1].text if 0 < i <= len(siblings) else ""
        after = siblings[i + 1].text if i + 1 < len(siblings) else ""
        return before, after

    def version_choices(self) -> list[tuple[str, str]]:
        return [(f"{d.title} — {v.language}, {v.role}", v.id) for d in self.index.documents.values() for v in d.versions]

    def show_version(self, version_id: str, ui_lang: str = "en") -> tuple[str, str]:
        """A version as clean § numbered text, and its received file with removals and repairs marked."""
        passages = self.by_version.get(version_id, [])
        if not passages:
            return render.empty(t("docs.empty", ui_lang)), ""
        source = passages[0].source
        text = self.index.texts.get(source, "")
        repairs = [r for r in self.repairs if r["source"] == source]
        # the whole received file: what cleaning removed around the version is part of the story
        return render.clean_version(passages, ui_lang), render.received_text(text, repairs, 0, len(text))
