"""Where the trained model lives: Django's ``default`` storage, so every app node sees the same
model (the app is stateless; ``TONGBAN_MEDIA_ROOT`` is shared or an object store).

    hotline-classifier/model-20261207T221530123456Z.joblib   the fitted pipeline (joblib)
    hotline-classifier/current.json                          which model is current

``current.json`` holds the model's file name and the SHA-256 of its bytes, signed with the
SECRET_KEY (``django.core.signing``, so SECRET_KEY_FALLBACKS work). Before a model file is
unpickled, the signature and the digest are checked: a file changed after training, or a pointer
edited by hand, is refused (logged, no suggestion) instead of being unpickled — a joblib file is a
pickle, and unpickling runs code.

Each process keeps the loaded model and looks at ``current.json`` again at most once every
RECHECK_SECONDS: a retrained model reaches every node within a minute, without a file read per
suggestion.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any

import joblib
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

logger = logging.getLogger(__name__)

DIRECTORY = "hotline-classifier"
POINTER = f"{DIRECTORY}/current.json"
RECHECK_SECONDS = 60
# Model files kept besides the current one (for a look back, or a node still loading the last one).
KEEP_PREVIOUS = 2
_SALT = "tongban.hotline.classifier.current"


def _storage() -> Storage:
    return storages["default"]


def store_model(payload: dict[str, Any]) -> str:
    """Write the payload as a new model file, point ``current.json`` at it, prune old files.
    Returns the model file's name."""
    storage = _storage()
    buffer = io.BytesIO()
    joblib.dump(payload, buffer, compress=3)
    data = buffer.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    name = storage.save(f"{DIRECTORY}/model-{stamp}.joblib", ContentFile(data))
    fields = {"model": name, "sha256": digest}
    pointer = {
        **fields,
        "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "signed": signing.dumps(fields, salt=_SALT),
    }
    # Storages do not overwrite: delete, then save. A reader in between sees no pointer for a
    # moment and keeps its loaded model (see _Cache.current).
    if storage.exists(POINTER):
        storage.delete(POINTER)
    saved = storage.save(POINTER, ContentFile(json.dumps(pointer, ensure_ascii=False, indent=1).encode()))
    if saved != POINTER:  # another training wrote the pointer in between: the latest one wins
        storage.delete(saved)
        logger.warning("hotline classifier: a concurrent training wrote %s first; kept it", POINTER)
    _prune(storage, keep=name)
    return name


def _prune(storage: Storage, *, keep: str) -> None:
    try:
        _dirs, files = storage.listdir(DIRECTORY)
    except (FileNotFoundError, NotImplementedError):
        return
    models = sorted(f"{DIRECTORY}/{f}" for f in files if f.startswith("model-") and f.endswith(".joblib"))
    older = [m for m in models if m < keep]
    for name in older[: max(len(older) - KEEP_PREVIOUS, 0)]:
        storage.delete(name)


def _read(storage: Storage, name: str) -> bytes | None:
    try:
        with storage.open(name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def load_model(storage: Storage, pointer_bytes: bytes) -> dict[str, Any] | None:
    """The payload the pointer names, or None (logged) when the pointer or the file does not check out."""
    try:
        pointer = json.loads(pointer_bytes)
        fields = signing.loads(pointer["signed"], salt=_SALT)
        name, digest = fields["model"], fields["sha256"]
    except (ValueError, KeyError, TypeError, signing.BadSignature):
        logger.error("hotline classifier: %s is not signed with this SECRET_KEY; ignored", POINTER)
        return None
    data = _read(storage, name)
    if data is None:
        logger.error("hotline classifier: the model %s named by %s is missing", name, POINTER)
        return None
    if hashlib.sha256(data).hexdigest() != digest:
        logger.error("hotline classifier: %s does not match its SHA-256 in %s; refused", name, POINTER)
        return None
    try:
        payload = joblib.load(io.BytesIO(data))
    except Exception:  # an unreadable file (another scikit-learn version) must not break intake
        logger.exception("hotline classifier: could not load %s", name)
        return None
    if not isinstance(payload, dict) or not hasattr(payload.get("pipeline"), "predict_proba"):
        logger.error("hotline classifier: %s holds no model", name)
        return None
    return payload


@dataclass
class _Loaded:
    storage: weakref.ref[Storage]
    pointer: bytes | None
    payload: dict[str, Any] | None
    checked_at: float
    missing_once: bool = False


class _Cache:
    """The current model of this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: _Loaded | None = None

    def current(self) -> dict[str, Any] | None:
        storage = _storage()
        now = time.monotonic()
        with self._lock:
            loaded = self._loaded
            # Another storage object (settings changed, as in tests) is another model store.
            if loaded and loaded.storage() is storage and now - loaded.checked_at < RECHECK_SECONDS:
                return loaded.payload
            pointer = _read(storage, POINTER)
            if loaded and loaded.storage() is storage:
                if pointer is None and loaded.payload is not None and not loaded.missing_once:
                    # Perhaps mid-replacement (see store_model): keep the loaded model, look again in a second.
                    loaded.missing_once = True
                    loaded.checked_at = now - RECHECK_SECONDS + 1
                    return loaded.payload
                if pointer == loaded.pointer:
                    loaded.checked_at = now
                    return loaded.payload
            payload = load_model(storage, pointer) if pointer is not None else None
            self._loaded = _Loaded(weakref.ref(storage), pointer, payload, now)
            return payload

    def forget(self) -> None:
        with self._lock:
            self._loaded = None


cache = _Cache()
