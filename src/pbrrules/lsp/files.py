"""Document URIs ↔ the paths the compiler names files by, and reading a file as the editor has
it: an open document's text (unsaved edits included), otherwise the file on disk.

A lot file's ``based on "template.pbr"`` is read through this, so editing a template updates
the diagnostics of every open lot file that uses it, before anything is saved.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pygls.uris import from_fs_path, to_fs_path


def path_of(uri: str) -> str:
    """The file-system path of a ``file:`` URI; any other URI (``untitled:``) stands for itself."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return os.path.normpath(path) if path else uri


def uri_of(path: str) -> str:
    """The URI of a path given by ``path_of`` (an untitled document's URI comes back as it was)."""
    if ":" in path and not Path(path).is_absolute():
        return path
    return from_fs_path(os.path.abspath(path)) or path


class Reader:
    """Reads files as the editor holds them: open documents first, then the disk."""

    def __init__(self, open_documents: Mapping[str, str]) -> None:
        #: Text of every open document, by normalised path.
        self.open_documents = {os.path.normpath(p): t for p, t in open_documents.items()}

    def __call__(self, path: str) -> str:
        """The text of ``path``; raises OSError or UnicodeDecodeError as reading the disk does."""
        text = self.open_documents.get(os.path.normpath(path))
        if text is not None:
            return text
        return Path(path).read_text(encoding="utf-8-sig")
