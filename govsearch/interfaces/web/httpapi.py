"""Plain JSON routes beside the Gradio page: GET or POST /search, /compare and /ask, one request, one answer.

Gradio's own API (/gradio_api/call/...) takes two requests per call (submit, then read an event stream) and
keeps per-event state; these routes are for scripts, curl and load. They answer with the same JSON as the
CLI's --json and the Gradio API:

    curl 'http://127.0.0.1:7860/search?q=military+use+of+AI&k=5&lang=en'
    curl -X POST http://127.0.0.1:7860/search -H 'content-type: application/json' -d '{"q": "发展中国家的代表性"}'

A bad query is 400 with {"error": reason}; a server that stays busy, or whose vector store cannot answer (a
Milvus server down), is 503 with Retry-After. With a password set, every route wants HTTP Basic
authentication (user "govsearch").
"""
from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from govsearch.indexing.stores import StoreUnavailable
from govsearch.interfaces.web.i18n import t
from govsearch.retrieval.request import AskRequest, CompareRequest, QueryError, SearchRequest

log = logging.getLogger("govsearch.api")
USER = "govsearch"
# searches in flight at once: their queries are encoded together (batching.py), so more in flight means
# bigger batches and fairer waits (measured in bench/RESULTS.md: 4 → p99 1.8 s, 16 → 1.4 s, 32 → 1.2 s)
WORKERS = 32
BUSY_SECONDS = 30  # a request that waits longer for a worker gets 503 instead of hanging


def json_routes(site, password: str | None = None, workers: int = WORKERS, busy_seconds: float = BUSY_SECONDS) -> list:
    """The routes, ready for FastAPI(routes=...). site is the web app's Site (search, compare, ask)."""
    slots = threading.BoundedSemaphore(workers)
    router = APIRouter(dependencies=[Depends(basic_auth(password))] if password else [])

    def run(operation: Callable[[], dict]) -> Any:
        if not slots.acquire(timeout=busy_seconds):
            return JSONResponse({"error": "the server is busy; try again shortly"}, status_code=503,
                                headers={"Retry-After": "5"})
        try:
            return operation()
        except QueryError as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        except StoreUnavailable as error:  # the reason names the store's address: the log has it, not the client
            log.warning("api request failed: %s", error)
            return JSONResponse({"error": t("error.store")}, status_code=503, headers={"Retry-After": "5"})
        except Exception:
            log.exception("api request failed")
            return JSONResponse({"error": "internal error; see the server log"}, status_code=500)
        finally:
            slots.release()

    # GET parameters are typed (FastAPI refuses a malformed one with 422); the request models check the values
    # and say what is wrong (400): one place for the rules, shared with the CLI and the page
    def search_get(q: str, k: int = 10, mode: str = "hybrid", lang: Annotated[list[str] | None, Query()] = None,
                   doc: Annotated[list[str] | None, Query()] = None, unofficial: bool = True,
                   year_from: int | None = None, year_to: int | None = None,
                   issuer: Annotated[list[str] | None, Query()] = None, role: Annotated[list[str] | None, Query()] = None):
        return run(lambda: site.search(SearchRequest(
            query=q, k=k, mode=mode, languages=lang, documents=doc, unofficial=unofficial, year_from=year_from,
            year_to=year_to, issuers=issuer, roles=role)))

    def search_post(body: Annotated[dict[str, Any], Body()]):
        return run(lambda: site.search(SearchRequest(**body)))

    def compare_get(topic: Annotated[list[str] | None, Query()] = None, unofficial: bool = True):
        return run(lambda: site.compare(CompareRequest(topics=topic, unofficial=unofficial)))

    def compare_post(body: Annotated[dict[str, Any], Body()]):
        return run(lambda: site.compare(CompareRequest(**body)))

    def ask_get(q: str, unofficial: bool = True):
        return run(lambda: site.ask(AskRequest(question=q, unofficial=unofficial)))

    def ask_post(body: Annotated[dict[str, Any], Body()]):
        return run(lambda: site.ask(AskRequest(**body)))

    # plain functions, not coroutines: FastAPI runs them in its thread pool, off the event loop
    for path, get, post in (("/search", search_get, search_post), ("/compare", compare_get, compare_post),
                            ("/ask", ask_get, ask_post)):
        router.add_api_route(path, get, methods=["GET"])
        router.add_api_route(path, post, methods=["POST"])
    return router.routes


def basic_auth(password: str) -> Callable:
    scheme = HTTPBasic(realm="govsearch")

    # a default, not Annotated[...]: with postponed annotations FastAPI cannot see this local scheme
    def check(credentials: HTTPBasicCredentials = Depends(scheme)) -> None:
        user_ok = secrets.compare_digest(credentials.username.encode(), USER.encode())
        password_ok = secrets.compare_digest(credentials.password.encode(), password.encode())
        if not (user_ok and password_ok):
            raise HTTPException(401, "wrong user name or password", headers={"WWW-Authenticate": "Basic"})

    return check
