"""A request's filters as a Milvus boolean expression over the collection's scalar fields, the same
passages Engine.allowed's mask lets through: issuers compared lower-cased, an unknown year (-1) failing any
year bound. Milvus evaluates it inside the search, so a filtered search is an exact top k among the allowed
passages, not a top k filtered afterwards. A restriction that comes with no filters (compare's search of one
document's passages) is sent as the allowed positions.

Values are written as double-quoted literals with backslash, double quote, newline, carriage return and tab
escaped: the escapes both Milvus Lite's parser and the server's accept (neither knows \\uXXXX, so JSON
quoting is not safe; neither Lite 3.2 nor Milvus 2.3 takes parameterised filters). Other control characters
have no escape both accept and are refused.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

import numpy as np

if TYPE_CHECKING:
    from govsearch.retrieval.request import Filters

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def literal(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError(f"the filter value {value!r} holds a control character, which a Milvus filter cannot express")
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in value) + '"'


def one_of(field: str, values: Iterable[str], negated: bool = False) -> str:
    listed = ", ".join(literal(v) for v in dict.fromkeys(values))
    return f"{field} {'not in' if negated else 'in'} [{listed}]"


def filter_expression(filters: Filters) -> str:
    """"" when nothing is filtered."""
    clauses = []
    if filters.documents:
        clauses.append(one_of("document", filters.documents))
    if filters.issuers:
        clauses.append(one_of("issuer", (i.lower() for i in filters.issuers)))
    if filters.languages:
        clauses.append(one_of("language", filters.languages))
    if filters.roles:
        clauses.append(one_of("role", (str(r) for r in filters.roles)))
    if filters.excluded_roles:
        clauses.append(one_of("role", (str(r) for r in filters.excluded_roles), negated=True))
    if filters.year_from is not None:
        clauses.append(f"year >= {int(filters.year_from)}")
    if filters.year_to is not None:
        clauses.append(f"year <= {int(filters.year_to)} and year >= 0")
    return " and ".join(clauses)


def positions_expression(mask: np.ndarray) -> str:
    """The passages a mask allows, by position: the shorter of the allowed and the excluded list ("" for all)."""
    allowed = np.flatnonzero(mask)
    if len(allowed) == len(mask):
        return ""
    excluded = np.flatnonzero(~mask)
    if len(allowed) <= len(excluded):
        return f"position in [{', '.join(map(str, allowed.tolist()))}]"
    return f"position not in [{', '.join(map(str, excluded.tolist()))}]"
