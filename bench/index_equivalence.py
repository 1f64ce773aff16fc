"""Compare the index's two FileFacts collectors (stdlib `ast` fast path vs the libcst reference)
on a real project tree. Not a test: the trees are not in the repository.

    python bench/index_equivalence.py /path/to/project [--all]

By default only the files the index would parse (the prefilter's words, `atomic`) are compared;
`--all` compares every .py file. Prints each file whose facts differ and the first differing field.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from celery_fix.config import load_config
from celery_fix.engine.files import read_source
from celery_fix.discover import discover
from celery_fix.index.ast_collect import Unsupported, collect_source_ast
from celery_fix.index.collect import collect_source
from celery_fix.index.build import (
    ATOMIC_WORDS,
    PREFILTER_WORDS,
    index_module_name,
    mentions_celery,
)


def first_difference(a, b, where="facts"):
    if dataclasses.is_dataclass(a) and type(a) is type(b):
        for f in dataclasses.fields(a):
            found = first_difference(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
            if found:
                return found
        return None
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and type(a) is type(b):
        if len(a) != len(b):
            return f"{where}: {len(a)} items vs {len(b)}: {a!r} vs {b!r}"
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return None
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return f"{where}: keys {list(a)} vs {list(b)}"
        for k in a:
            found = first_difference(a[k], b[k], f"{where}[{k!r}]")
            if found:
                return found
        return None
    return None if a == b and type(a) is type(b) else f"{where}: {a!r} (ast) vs {b!r} (libcst)"


def compare(files, verbose=True):
    differing, fallback, t_ast, t_cst = [], [], 0.0, 0.0
    for path in files:
        source = read_source(path)
        module = index_module_name(path)
        started = time.perf_counter()
        try:
            fast = collect_source_ast(str(path), source, module)
        except Unsupported:
            fallback.append(path)
            continue
        finally:
            t_ast += time.perf_counter() - started
        started = time.perf_counter()
        slow = collect_source(str(path), source, module)
        t_cst += time.perf_counter() - started
        diff = first_difference(fast, slow)
        if diff:
            differing.append((path, diff))
            if verbose:
                print(f"DIFF {path}: {diff}")
    return differing, fallback, t_ast, t_cst


def main() -> int:
    root = Path(sys.argv[1])
    every = "--all" in sys.argv
    files = discover([root], load_config([root])).files
    if not every:
        files = [p for p in files if mentions_celery(read_source(p), PREFILTER_WORDS + ATOMIC_WORDS) or p.stem == "celeryconfig"]
    differing, fallback, t_ast, t_cst = compare(files)
    print(f"{root}: {len(files)} files compared, {len(differing)} differ, {len(fallback)} need the libcst fallback "
          f"({', '.join(map(str, fallback[:5]))}); ast {t_ast:.2f}s, libcst {t_cst:.2f}s")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
