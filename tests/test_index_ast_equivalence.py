"""The index's fast collector (stdlib `ast`, index/ast_collect.py) must give exactly the FileFacts
of the libcst collector (index/collect.py), which stays the reference and the fallback for files
the running Python cannot parse. Compared on every Python file of the fixtures, examples/shop, the
snapshot inputs and a generated project; no field is normalised: lines, columns (converted from
ast's UTF-8 byte offsets to characters), dispatch argument text (libcst's `code_for_node`, without
the enclosing blocks' indentation) and the order of every list are the same.
(bench/index_equivalence.py runs the same comparison on real project trees.)"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from celery_fix.constructs.modules import module_name_for
from celery_fix.index.ast_collect import Unsupported, collect_source_ast
from celery_fix.index.collect import collect_source
from celery_fix.index.build import collect_file

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from index_equivalence import first_difference


def python_files(*roots: Path) -> list[Path]:
    return sorted(p for root in roots for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def assert_same(path: Path, source: bytes | None = None, module: str | None = None) -> None:
    source = path.read_bytes() if source is None else source
    module = module_name_for(path) if module is None else module
    fast = collect_source_ast(str(path), source, module)
    slow = collect_source(str(path), source, module)
    difference = first_difference(fast, slow)
    assert difference is None, f"{path}: {difference}"


REPO_FILES = python_files(ROOT / "tests" / "fixtures", ROOT / "examples" / "shop", ROOT / "snapshots")


def test_corpus_is_there():
    assert len(REPO_FILES) > 100


@pytest.mark.parametrize("path", REPO_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_repo_files(path: Path):
    assert_same(path)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "proj"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(out), "--apps", "3"], check=True,
                   capture_output=True)
    return out


def test_generated_project(generated: Path):
    files = python_files(generated)
    assert len(files) > 20
    for path in files:
        assert_same(path)


EDGE_CASES = {
    "unicode columns and argument text": '''
        from celery import shared_task
        from django.db import transaction
        T = "é"

        @shared_task(bind=True)  # café
        def ünïcode(self, x): return x

        class  Kläss (object): pass

        def f():
            with transaction.atomic():
                s = "日本"; ünïcode.delay(s , k = (1) ,  # c
                    *rest, **kw)
                ünïcode.apply_async(
                    args=(1,),  # one
                    kwargs={
                        "a": """
            keep this indentation""",
                        "b": ("x"
                              "y"),
                    }
                )
                (ünïcode.s(1) | ünïcode.s(2)).delay()
                ünïcode.delay(x for x in range(3))
                ünïcode.delay((x for x in range(3)))
    ''',
    "suites, elif, except order, decorators inside the frame": '''
        import celery
        from celery import shared_task as st
        app = celery.Celery("p", broker="x")
        retrying = st(acks_late=True, **{"max_retries": 3})

        @retrying
        def t(a, /, b=t2.delay(), *c, d=print(), **e):
            if a: transaction = 1
            elif b:
                from django.db import transaction
            else:
                import django.db.transaction as transaction
            try:
                r = t.delay()
            except (ValueError, t.delay().get()) as exc:
                return r
            finally:
                r.id
            match a:
                case {"k": v, **rest}: pass
                case Point(x=r): pass
            return lambda: t.delay()

        def factory(**kw):
            return st(bind=True, **kw)

        class Job(app.Task):
            name = "job"; max_retries = 2
            def run(self, x): return x
        app.register_task(Job())
        app.conf.beat_schedule = {"a": {"task": "t", "schedule": 5}, **OTHER}
        app.conf.update({"task_routes": {"a": "b"}}, timezone="UTC")
        CELERY_BEAT_SCHEDULE = dict(a={"task": "t", "schedule": 6 * 60}, **X)
        CELERY_BEAT_SCHEDULE["b"] = {"task": "t", "schedule": -1.5}
        DATABASES["default"]["ATOMIC_REQUESTS"] = True
        X[1:2] = 3
        X[a, b] = 3
        X[(a, b)] = 3
    ''',
}


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_edge_cases(name: str, tmp_path: Path):
    path = tmp_path / "pkg" / "mod.py"
    assert_same(path, textwrap.dedent(EDGE_CASES[name]).encode(), "pkg.mod")


def test_newer_syntax_falls_back_to_libcst():
    source = b"type Alias = list[int]\ndef f[T](x: T) -> T:\n    return task.delay(x)\n"
    if sys.version_info >= (3, 12):
        pytest.skip("the running Python parses PEP 695 syntax itself")
    with pytest.raises(Unsupported):
        collect_source_ast("m.py", source, "m")
    facts = collect_file("m.py", source, "m")
    assert facts.error is None and [f.name for f in facts.functions] == ["f"]


def test_broken_file_is_reported_by_libcst():
    facts = collect_file("m.py", b"def f(:\n", "m")
    assert facts.error == collect_source("m.py", b"def f(:\n", "m").error and facts.error
