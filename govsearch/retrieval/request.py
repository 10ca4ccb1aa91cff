"""What a user asks for, validated once: a search, a comparison or a question, with its filters.

One model per operation and one set of names for every interface: the CLI, the web page, the Gradio API, the
JSON routes and the evaluation build these by keyword (the JSON routes' short names `q`, `doc`, `lang`,
`issuer`, `role` and `topic` are accepted as aliases). A bad value raises QueryError, whose message says
which value and why; values that depend on the index (an unknown document or language) are checked by the
engine, which knows them.
"""
from __future__ import annotations

import unicodedata
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from govsearch.records import Mode, Role
from govsearch.text.characters import plain_characters

MAX_QUERY_CHARS = 2000
MAX_K = 100
MAX_TOPICS = 8


class QueryError(ValueError):
    """The request cannot be run as given; the message says why."""


def normalise_query(query: Any) -> str:
    """Typographic forms made plain (text/characters.py), control characters out, whitespace folded; refuses empty
    and over-long queries."""
    if not isinstance(query, str):
        raise QueryError("the query must be text")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") else ch
                      for ch in plain_characters(query))
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise QueryError("the query is empty: type a question or some keywords")
    return cleaned


def _alias(*names: str):
    return AliasChoices(*names)


class _Request(BaseModel):
    """Validation errors become one QueryError naming every bad value."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def __init__(self, **values: Any):
        try:
            super().__init__(**values)
        except ValidationError as error:
            raise QueryError(_describe(error)) from None


def _describe(error: ValidationError) -> str:
    reasons = []
    for item in error.errors():
        cause = (item.get("ctx") or {}).get("error")
        if isinstance(cause, Exception):  # our own validators say it in full
            reasons.append(str(cause))
        else:
            field = ".".join(str(part) for part in item["loc"]) or "request"
            message = item["msg"][:1].lower() + item["msg"][1:]
            reasons.append(f"unknown field {field!r}" if item["type"] == "extra_forbidden" else f"{field}: {message}")
    return "; ".join(dict.fromkeys(reasons))


class Filters(_Request):
    """Which passages may answer: by document, issuer, passage language, version role and document year.
    Empty means no restriction; unofficial=False leaves unofficial translations out."""

    documents: tuple[str, ...] = Field((), validation_alias=_alias("documents", "doc"))
    issuers: tuple[str, ...] = Field((), validation_alias=_alias("issuers", "issuer"))
    languages: tuple[str, ...] = Field((), validation_alias=_alias("languages", "lang"))
    roles: tuple[Role, ...] = Field((), validation_alias=_alias("roles", "role"))
    unofficial: bool = True
    year_from: int | None = None
    year_to: int | None = None

    @field_validator("documents", "issuers", "languages", "roles", mode="before")
    @classmethod
    def _as_tuple(cls, value: Any, info) -> Any:
        """One value where a list is expected is a list of one (not a list of its characters); None is empty."""
        values = () if value is None else (value,) if isinstance(value, str) else value
        if info.field_name == "roles":
            unknown = [r for r in values if isinstance(r, str) and r not in set(Role)]
            if unknown:
                raise ValueError(f"role {unknown[0]!r} is not one of: {', '.join(Role)}")
        return values

    @field_validator("year_from", "year_to", mode="before")
    @classmethod
    def _any_year(cls, value: Any) -> Any:
        """0 and "" mean any year (the web page's empty number field)."""
        return None if value in (0, "", "0") else value

    @model_validator(mode="after")
    def _years_in_order(self) -> "Filters":
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise ValueError(f"year_from ({self.year_from}) is after year_to ({self.year_to})")
        return self

    @property
    def excluded_roles(self) -> tuple[Role, ...]:
        return () if self.unofficial else (Role.UNOFFICIAL_TRANSLATION,)

    @property
    def restricts(self) -> bool:
        return bool(self.documents or self.issuers or self.languages or self.roles or self.excluded_roles
                    or self.year_from is not None or self.year_to is not None)

    def filters(self) -> "Filters":
        """Just the filters of a request (a search, comparison or question)."""
        return Filters(**{name: getattr(self, name) for name in Filters.model_fields})


class SearchRequest(Filters):
    """A query and how to answer it: the k best statements, by hybrid, dense or BM25 retrieval."""

    query: str = Field(validation_alias=_alias("query", "q"))
    k: int = 10
    mode: Mode = Mode.HYBRID

    @field_validator("query", mode="before")
    @classmethod
    def _query(cls, value: Any) -> str:
        return normalise_query(value)

    @field_validator("k")
    @classmethod
    def _k(cls, value: int) -> int:
        if not 1 <= value <= MAX_K:
            raise ValueError(f"k must be between 1 and {MAX_K}")
        return value

    @field_validator("mode", mode="before")
    @classmethod
    def _mode(cls, value: Any) -> Any:
        if value not in set(Mode):
            raise ValueError(f"mode {value!r} is not one of {', '.join(Mode)}")
        return value


class CompareRequest(Filters):
    """One or several topics: for each document, whether it addresses them and its most relevant passages."""

    topics: tuple[str, ...] = Field(validation_alias=_alias("topics", "topic"))
    per_document: int = Field(3, ge=1, le=10)

    @field_validator("topics", mode="before")
    @classmethod
    def _topics(cls, value: Any) -> tuple[str, ...]:
        values = (value,) if isinstance(value, str) else tuple(value or ())
        topics = tuple(normalise_query(t) for t in values if not isinstance(t, str) or t.strip())
        if not topics:
            raise ValueError("give at least one topic")
        if len(topics) > MAX_TOPICS:
            raise ValueError(f"at most {MAX_TOPICS} topics at once")
        return topics


class AskRequest(Filters):
    """A question, answered from the best passages with numbered citations."""

    question: str = Field(validation_alias=_alias("question", "q"))
    generate: bool | None = None  # None: when an LLM endpoint is configured

    @field_validator("question", mode="before")
    @classmethod
    def _question(cls, value: Any) -> str:
        return normalise_query(value)
