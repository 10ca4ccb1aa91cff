"""Connecting to Milvus: the address checked, credentials from the environment only, one client per address
and process, and pymilvus's failures turned into one clear sentence (StoreUnavailable).

A URI that is a path ending in .db opens Milvus Lite inside this process (one process per store: it locks
the folder); http(s)://host:port reaches a server (a Milvus cluster, or `milvus-lite server` for several
local processes). Credentials come from GOVSEARCH_MILVUS_TOKEN, or GOVSEARCH_MILVUS_USER and
GOVSEARCH_MILVUS_PASSWORD; a URI holding credentials is refused, because pymilvus repeats the URI in its
error messages. Never log a client: its repr shows the token.
"""
from __future__ import annotations

import logging
import os
import threading
from urllib.parse import urlsplit

from govsearch.indexing.stores.base import StoreUnavailable

INSTALL = "pip install -r requirements-milvus.txt"
CONNECT_TIMEOUT = 10.0  # seconds; pymilvus bounds only the connection with its client timeout
CALL_TIMEOUT = 10.0  # every later call passes its own: without one, a call to a frozen server never returns
LOAD_TIMEOUT = 900.0  # building an index and loading a collection of 100k rows into Milvus Lite takes minutes
# pymilvus pings every 10 s; a Python gRPC server (Milvus Lite, `milvus-lite server`) answers the third ping
# within 5 minutes of no data with GOAWAY "too_many_pings", cutting any call longer than ~30 s (an index
# build), which pymilvus then sends again. One ping per 5.5 minutes stays under that limit.
KEEPALIVE_MS = 330_000
# Numeric codes that Milvus Lite and Milvus servers share (others differ between them)
CONNECTION_FAILED = 2
NOT_LOADED = 101

_clients: dict[tuple, object] = {}
_lite_paths: set[str] = set()
_lock = threading.RLock()
_pymilvus = None


def load_pymilvus():
    """The pymilvus module, imported without its side effects: at import it reads into the environment a .env
    file found from its install folder upwards, and it logs every failed call at ERROR with a traceback
    (expected ones too, such as a missing alias), where govsearch reports failures itself."""
    global _pymilvus
    with _lock:
        if _pymilvus is None:
            was_disabled = "PYTHON_DOTENV_DISABLED" in os.environ
            os.environ.setdefault("PYTHON_DOTENV_DISABLED", "1")
            try:
                import pymilvus
            except ImportError:
                raise StoreUnavailable(f"the Milvus store needs pymilvus and milvus-lite: {INSTALL}") from None
            finally:
                if not was_disabled:
                    os.environ.pop("PYTHON_DOTENV_DISABLED", None)
            for name in ("pymilvus", "milvus_lite"):
                logging.getLogger(name).setLevel(logging.CRITICAL)
            _pymilvus = pymilvus
    return _pymilvus


def is_lite(uri: str) -> bool:
    return "://" not in uri and not uri.startswith("unix:")


def public_uri(uri: str) -> str:
    """The URI as the manifest records it: a Milvus Lite path made absolute (there are never credentials)."""
    return os.path.abspath(uri) if is_lite(uri) else uri


def check_uri(uri: str) -> None:
    """Refuse what pymilvus would refuse or mishandle, with a message that repeats no secret."""
    if is_lite(uri):
        if not uri.endswith(".db"):
            raise StoreUnavailable(f"Milvus URI {uri!r} is neither a server address (http://host:19530) nor a Milvus "
                                   "Lite store (a path ending in .db)")
        folder = os.path.dirname(os.path.abspath(uri))
        if not os.path.isdir(folder):
            raise StoreUnavailable(f"the Milvus Lite store {uri} cannot be created: folder {folder} does not exist")
        return
    if uri.startswith("unix:"):
        return
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise StoreUnavailable(f"Milvus URI {_shown(uri)!r} has an invalid host or port") from None
    if parts.username is not None or parts.password is not None:
        raise StoreUnavailable("Milvus credentials do not belong in the URI: set GOVSEARCH_MILVUS_TOKEN, or "
                               f"GOVSEARCH_MILVUS_USER and GOVSEARCH_MILVUS_PASSWORD, and give {_shown(uri)!r}")
    if parts.scheme.lower() not in ("http", "https", "tcp", "grpc"):
        raise StoreUnavailable(f"Milvus URI {_shown(uri)!r} must start with http://, https:// or tcp://, or be a "
                               "local path ending in .db (Milvus Lite)")
    if not parts.hostname:
        raise StoreUnavailable(f"Milvus URI {_shown(uri)!r} names no host")


def _shown(uri: str) -> str:
    """uri with any user:password@ masked."""
    scheme, found, rest = uri.partition("://")
    if not found:
        return uri
    host, slash, path = rest.partition("/")
    return f"{scheme}://{'***@' + host.rsplit('@', 1)[1] if '@' in host else host}{slash}{path}"


def credentials() -> dict[str, str]:
    token = os.environ.get("GOVSEARCH_MILVUS_TOKEN", "")
    user = os.environ.get("GOVSEARCH_MILVUS_USER", "")
    password = os.environ.get("GOVSEARCH_MILVUS_PASSWORD", "")
    if token:
        return {"token": token}
    if user or password:
        if not (user and password):
            raise StoreUnavailable("set both GOVSEARCH_MILVUS_USER and GOVSEARCH_MILVUS_PASSWORD (or GOVSEARCH_MILVUS_TOKEN)")
        return {"user": user, "password": password}
    return {}


def connect(uri: str):
    """The MilvusClient for uri, made once per process and credentials."""
    check_uri(uri)
    secrets = credentials()
    key = (public_uri(uri), tuple(sorted(secrets.items())))
    with _lock:
        client = _clients.get(key)
        if client is None:
            module = load_pymilvus()
            try:
                client = module.MilvusClient(uri=uri, timeout=CONNECT_TIMEOUT,
                                                 grpc_options={"grpc.keepalive_time_ms": KEEPALIVE_MS}, **secrets)
            except module.MilvusException as error:
                raise StoreUnavailable(connect_failure(uri, error)) from None
            _clients[key] = client
            if is_lite(uri):
                _lite_paths.add(os.path.abspath(uri))
                # Milvus Lite's gRPC server, in this process, logs a traceback for each call it does not
                # implement; pymilvus makes one (AllocTimestamp) after every index build and does without
                logging.getLogger("grpc._server").setLevel(logging.CRITICAL)
    return client


def connect_failure(uri: str, error) -> str:
    """pymilvus raises the same error (code 2, "Fail connecting ...") for a refused port, wrong credentials
    and a frozen server; the gRPC status it chains tells them apart."""
    status = grpc_status(error.__cause__)
    where = _shown(uri)
    if status == "UNAUTHENTICATED":
        return (f"Milvus at {where} refused the credentials: check GOVSEARCH_MILVUS_TOKEN, or GOVSEARCH_MILVUS_USER "
                "and GOVSEARCH_MILVUS_PASSWORD")
    if status == "DEADLINE_EXCEEDED":
        return f"Milvus at {where} did not answer within {CONNECT_TIMEOUT:g} s"
    if status == "UNAVAILABLE" or not is_lite(uri):
        return f"no Milvus server answers at {where} (connection refused, host unknown or server down)"
    if _held_elsewhere(uri):
        return (f"the Milvus Lite store {uri} is open in another process; Milvus Lite allows one process per store "
                f"(it locks the folder). To share it, serve it: `milvus-lite server --data-dir {uri} --host 127.0.0.1 "
                "--port 19530`, and give every process --milvus-uri http://127.0.0.1:19530")
    return f"cannot open the Milvus Lite store {uri} ({error.message})"


def is_milvus_failure(error: BaseException) -> bool:
    """An error of pymilvus, or of gRPC, which pymilvus lets through (a call past its deadline, a reset stream)."""
    import grpc

    return isinstance(error, (load_pymilvus().MilvusException, grpc.RpcError))


def grpc_status(error) -> str:
    """The gRPC status name of an error pymilvus let through or chained ("UNAVAILABLE", ...), or ""."""
    code = getattr(error, "code", None)
    status = code() if callable(code) else None
    return getattr(status, "name", "") if status is not None else ""


def _held_elsewhere(uri: str) -> bool:
    import fcntl

    lock = os.path.join(os.path.abspath(uri), "LOCK")
    if not os.path.exists(lock):
        return False
    with open(lock, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def close_clients() -> None:
    """Close every client of this process and stop its Milvus Lite stores (which frees their folders)."""
    with _lock:
        for client in _clients.values():
            try:
                client.close()
            except Exception:  # closing is best effort; the client may be broken already
                pass
        _clients.clear()
        paths = set(_lite_paths)
        _lite_paths.clear()
    if paths:
        from milvus_lite.server_manager import server_manager_instance

        for path in paths:
            server_manager_instance.release_server(path)
