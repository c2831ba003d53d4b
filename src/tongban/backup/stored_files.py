"""The stored files of every filesystem storage in settings.STORAGES (static files aside: they come from
the code). A storage whose folder lies inside another's (materials inside default) owns its files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages

from tongban.backup.errors import BackupError

NOT_BACKED_UP = {"staticfiles"}


def locations() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for name in settings.STORAGES:
        if name in NOT_BACKED_UP:
            continue
        storage = storages[name]
        if not isinstance(storage, FileSystemStorage):
            raise BackupError(f"存储 {name} 不是文件系统存储，请用其服务商的备份工具备份")
        found[name] = Path(storage.location).resolve()
    return found


def walk(roots: dict[str, Path]) -> Iterator[tuple[str, str, Path]]:
    """(storage, path inside it, absolute path) of every file, each file once, sorted."""
    owners = {root: name for name, root in reversed(roots.items())}  # the first storage of a shared folder
    for root, name in sorted(owners.items()):
        if not root.is_dir():
            continue
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if Path(folder, d) not in owners)
            for file in sorted(files):
                path = Path(folder, file)
                yield name, path.relative_to(root).as_posix(), path


def is_empty(roots: dict[str, Path]) -> bool:
    return next(walk(roots), None) is None
