"""Property tests over generated task modules (issue 17): with every rule and unsafe fixes, the fixed
code compiles, a second pass changes nothing, no comment is lost or duplicated, and the dry-run diff
turns the original into exactly what --apply writes. Also a crash fuzz of the engine on random valid
Python (hypothesmith, when installed): a result or a one-line error, never an exception.

CI runs a small budget. A long fuzz:
    CELERY_FIX_FUZZ_EXAMPLES=3000 python -m pytest -q tests/test_properties.py -p no:cacheprovider
"""

from __future__ import annotations

import io
import os
import tokenize
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from celery_fix.engine.checker import check_one
from celery_fix.engine.model import EngineSettings
from celery_fix.engine.registry import all_rule_infos
from celery_fix.index.build import build_index
from celery_fix.report.diff import unified_diff
from test_cli import _apply_unified

EXAMPLES = int(os.environ.get("CELERY_FIX_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=EXAMPLES <= 25)

DECORATORS = [
    "@shared_task", "@shared_task()", "@shared_task(bind=True)", "@shared_task(ignore_result=True)",
    "@shared_task(autoretry_for=(IOError,))", "@shared_task(max_retries=3, autoretry_for=(ValueError,), retry_backoff=True)",
    "@shared_task(name='custom.name')", "@shared_task(  # options\n    autoretry_for=(IOError,),\n)",
]
DISPATCHES = [
    "{t}.delay(x)", "{t}.delay(x, y=1)", "{t}.apply_async((x,), countdown=5)", "{t}.apply_async((x,), link={u}.s())",
    "{t}.delay(  # why\n{i}    x,\n{i})", "{t}.delay(\n{i}    # note\n{i}    x,\n{i})", "{t}.s(x).delay()",
    "a = 1; {t}.delay(x)", "{t}.delay(x \\\n{i}    )", "r = {t}.delay(x)", "{t}.delay(x)  # trailing",
]
CONTAINERS = [
    "{d}", "for x in items:\n{i}    {d}", "if x:\n{i}    {d}\n{i}else:\n{i}    pass",
    "try:\n{i}    {d}\n{i}except ValueError:\n{i}    pass", "with open('f') as fh:\n{i}    {d}",
]
BEAT = [
    "", "CELERY_BEAT_SCHEDULE = {{'k': {{'task': 'm.t0', 'schedule': crontab()}}}}\n",
    "CELERY_BEAT_SCHEDULE = {{\n    'k': {{'task': 'm.t0', 'schedule': 60.0}},  # every minute\n}}\n",
    "CELERY_BEAT_SCHEDULE = {{'k': {{'task': 'm.t1', 'schedule': crontab(hour=3)}}}}\n",
]


def _indented(template: str, indent: str, **names: str) -> str:
    return template.format(i=indent, **names)


@st.composite
def task_modules(draw) -> bytes:
    count = draw(st.integers(1, 3))
    parts = [
        "from celery import shared_task\nfrom celery.schedules import crontab\nfrom django.db import transaction\n\n\n"
    ]
    for n in range(count):
        decorator = draw(st.sampled_from(DECORATORS))
        body = draw(st.sampled_from(["pass", "return x"]))
        params = "self, x" if "bind=True" in decorator else "x"
        parts.append(f"{decorator}\ndef t{n}({params}):\n    {body}\n\n\n")
    for n in range(draw(st.integers(1, 3))):
        indent = "        "
        lines = []
        for _ in range(draw(st.integers(1, 3))):
            task, other = f"t{draw(st.integers(0, count - 1))}", f"t{draw(st.integers(0, count - 1))}"
            container = draw(st.sampled_from(CONTAINERS))
            inner = indent + "    " if container != "{d}" else indent
            dispatch = _indented(draw(st.sampled_from(DISPATCHES)), inner, t=task, u=other)
            lines.append(indent + container.format(i=indent, d=dispatch))
        atomic = draw(st.sampled_from(["with transaction.atomic():", "with transaction.atomic(using='other'):"]))
        parts.append(f"def f{n}(x, y=None, items=()):\n    {atomic}\n" + "\n".join(lines) + "\n\n\n")
    parts.append(draw(st.sampled_from(BEAT)).format())
    text = "".join(parts)
    encoding = draw(st.sampled_from(["utf-8", "crlf", "bom", "latin-1"]))
    if encoding == "crlf":
        return text.replace("\n", "\r\n").encode()
    if encoding == "bom":
        return b"\xef\xbb\xbf" + text.encode()
    if encoding == "latin-1":
        return ("# -*- coding: latin-1 -*-\n# caf\xe9\n" + text).encode("latin-1")
    return text.encode()


ALL_CODES = tuple(r.CODE for r in all_rule_infos())


def check(path: Path, source: bytes):
    path.write_bytes(source)
    index = build_index([path], path.parent)
    return check_one(str(path), source, EngineSettings(codes=ALL_CODES, rule_options={}, unsafe_fixes=True,
                                                       index=index, root=str(path.parent)))


def comments(source: bytes) -> Counter:
    tokens = tokenize.tokenize(io.BytesIO(source).readline)
    return Counter(t.string for t in tokens if t.type == tokenize.COMMENT)


@FUZZ
@given(source=task_modules())
@pytest.mark.filterwarnings("ignore::SyntaxWarning")
def test_fixes_compile_converge_keep_comments_and_match_the_diff(tmp_path_factory, source):
    compile(source, "m.py", "exec")  # the generator writes valid Python
    path = tmp_path_factory.mktemp("fuzz") / "m.py"
    first = check(path, source)
    assert first.error is None, first.error
    if first.fixed is None:
        return
    fixed = first.fixed
    compile(fixed, "m.py", "exec")
    before, after = comments(source), comments(fixed)
    assert all(after[c] == n for c, n in before.items()), (before, after)  # none lost, none doubled
    second = check(path, fixed)
    assert second.error is None and second.fixed is None, (fixed.decode("latin-1"), second.fixed)
    # the dry-run diff, applied to the original, gives what --apply writes
    diff = unified_diff("m.py", source, fixed, first.encoding)
    from celery_fix.report.diff import _lines

    assert "".join(_apply_unified(_lines(source, first.encoding), diff)) == fixed.decode(first.encoding)


try:
    import hypothesmith
except ImportError:  # pragma: no cover - optional
    hypothesmith = None


@pytest.mark.skipif(hypothesmith is None, reason="hypothesmith not installed")
@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # `1()` and the like: valid, and CPython says so
@settings(max_examples=max(EXAMPLES // 2, 10), deadline=None, suppress_health_check=list(HealthCheck),
          derandomize=EXAMPLES <= 25)
@given(code=hypothesmith.from_grammar() if hypothesmith is not None else st.just(""))
def test_the_engine_never_raises_on_valid_python(tmp_path_factory, code):
    source = ("import celery\nfrom django.db import transaction\n" + code).encode("utf-8", "surrogatepass")
    try:
        compile(source, "m.py", "exec")
    except (SyntaxError, ValueError):
        return
    path = tmp_path_factory.mktemp("crash") / "m.py"
    result = check(path, source)
    assert not result.internal_error, result.error
    if result.error:
        assert "\n" not in result.error
    if result.fixed is not None:
        compile(result.fixed, "m.py", "exec")
