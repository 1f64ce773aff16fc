"""A cached ProjectIndex renamed to the file names of this run.

The index names files as the run's paths spell them (relative to the working directory, or
absolute), because the engine and the rules compare those strings. The cached index is found by
absolute paths, so a run that spells the tree otherwise (`celery-fix /abs/proj` then pre-commit's
`celery-fix app/tasks.py`) renames it here instead of building it again. Every file name the index
holds must map to one of the run's files; when one does not, the caller builds the index anew.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

# ProjectIndex fields that are sets of file names, and lists of messages starting with one
_NAME_SETS = ("indexed_files", "dispatching_files", "result_files", "schedule_files")
_MESSAGES = ("errors", "warnings")  # file -> its message
_ABSOLUTE = ("not_indexed",)  # already absolute: the same in every spelling


class Unmapped(Exception):
    """A file name of the cached index that is none of this run's files."""


def respell(index: Any, built_in: str, files: list[Path]) -> None:
    """Rename, in place, the files of `index` (built with the working directory `built_in`) to
    the spellings of `files`. Raises Unmapped, leaving `index` half renamed, when one cannot be."""
    spelled = {os.path.abspath(f): str(f) for f in files}

    def spell(name: str) -> str:
        found = spelled.get(os.path.normpath(os.path.join(built_in, name)))
        if found is None:
            raise Unmapped(name)
        return found

    seen: set[int] = set()  # a record can sit in two fields (settings and all_settings)
    for field in dataclasses.fields(index):
        value = getattr(index, field.name)
        if field.name in _NAME_SETS:
            setattr(index, field.name, {spell(name) for name in value})
        elif field.name in _MESSAGES:
            setattr(index, field.name, {spell(name): _spell_message(message, spell) for name, message in value.items()})
        elif field.name == "atomic_call_sites":
            index.atomic_call_sites = [(caller, callee, spell(path), line) for caller, callee, path, line in value]
        elif field.name not in _ABSOLUTE:
            for record in _records(value):
                if id(record) not in seen:
                    seen.add(id(record))
                    record.path = spell(record.path)


def _records(value: Any):
    """The records with a `path` inside `value` (lists and dicts of them, one level of nesting)."""
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, list):
        return
    for item in value:
        if isinstance(item, list):
            yield from _records(item)
        elif dataclasses.is_dataclass(item) and isinstance(getattr(item, "path", None), str):
            yield item


def _spell_message(message: str, spell) -> str:
    """`message` ("<file>: ..." or "<file>:<line>:...") with its file renamed."""
    colon = message.find(":")
    while colon > 0:
        try:
            return spell(message[:colon]) + message[colon:]
        except Unmapped:
            colon = message.find(":", colon + 1)  # a file name with a colon in it
    raise Unmapped(message)
