"""ANSI colour for the text formats: `--color auto|always|never`; auto means stdout is a
terminal and NO_COLOR (https://no-color.org) is unset or empty."""

from __future__ import annotations

import os
import sys

CHOICES = ("auto", "always", "never")
_CODES = {"bold": "1", "red": "31", "green": "32", "yellow": "33", "blue": "34", "cyan": "36", "dim": "2"}


def use_color(choice: str, stream=None) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def paint(text: str, *styles: str, on: bool = True) -> str:
    if not on or not styles:
        return text
    return f"\033[{';'.join(_CODES[s] for s in styles)}m{text}\033[0m"


def paint_diff(diff: str, on: bool) -> str:
    if not on:
        return diff
    out = []
    for line in diff.splitlines(keepends=True):
        if line.startswith(("+++", "---")):
            out.append(paint(line.rstrip("\n"), "bold", on=on) + "\n")
        elif line.startswith("@@"):
            out.append(paint(line.rstrip("\n"), "cyan", on=on) + "\n")
        elif line.startswith("+"):
            out.append(paint(line.rstrip("\n"), "green", on=on) + "\n")
        elif line.startswith("-"):
            out.append(paint(line.rstrip("\n"), "red", on=on) + "\n")
        else:
            out.append(line)
    return "".join(out)
