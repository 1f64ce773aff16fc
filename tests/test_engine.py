"""The engine's guarantees: overlapping fixes all land, broken fixes are never written, one bad
file never ends the run, the prefilter and the cache change no result."""

from __future__ import annotations

import os
import sys

import libcst as cst
import pytest
from celery_fix.codemods.retry_backoff import plan_backoff

from celery_fix.engine import checker as engine
from celery_fix.engine.cache import ResultCache, settings_fingerprint
from celery_fix.engine.checker import EngineSettings, check_one
from celery_fix.engine.registry import all_rule_classes
from celery_fix.engine.runner import run_files
from celery_fix.ruleset import base as rule_base
from celery_fix.syntax.edit import append_kwargs, keyword_arg

RETRYING = b"from celery import shared_task\n\n\n@shared_task(autoretry_for=(IOError,))\ndef sync():\n    pass\n"


class AddsIgnoreResultRule(rule_base.CeleryRule):
    """Test double: a second rule that edits the same decorator call as CEL202."""

    CODE = "CEL998"
    NAME = "adds-ignore-result"
    MESSAGE = "add ignore_result"
    FIX_TITLE = "add"
    TRIGGERS = (b"shared_task",)

    def visit_Call(self, node: cst.Call) -> None:
        if plan_backoff(self.names, node) is not None or self._is_task_call(node):
            if not any(a.keyword is not None and a.keyword.value == "ignore_result" for a in node.args):
                self.report(node, replacement=append_kwargs(node, [keyword_arg("ignore_result", cst.Name("True"))]))

    def _is_task_call(self, node: cst.Call) -> bool:
        return self.names.resolve(node.func) == "celery.shared_task"


class BreaksCodeRule(rule_base.CeleryRule):
    """Test double: a fix that produces code which does not parse."""

    CODE = "CEL997"
    NAME = "breaks-code"
    MESSAGE = "broken"
    FIX_TITLE = "break"
    TRIGGERS = (b"shared_task",)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.report(node.name, replacement=cst.Name("if"))


class CrashesRule(rule_base.CeleryRule):
    CODE = "CEL996"
    NAME = "crashes"
    MESSAGE = "crash"
    TRIGGERS = (b"shared_task",)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        raise KeyError("bug in a rule")


@pytest.fixture
def extra_rules(monkeypatch):
    def install(*rules):
        monkeypatch.setattr(engine, "all_rule_classes", lambda: (*all_rule_classes(), *rules))

    return install


def settings(*codes: str, **kwargs) -> EngineSettings:
    return EngineSettings(codes=codes, rule_options={}, **kwargs)


def test_two_fixes_on_one_decorator_both_land(extra_rules):
    extra_rules(AddsIgnoreResultRule)
    result = check_one("t.py", RETRYING, settings("CEL202", "CEL998"))
    assert {f.code for f in result.findings} == {"CEL202", "CEL998"}
    fixed = result.fixed.decode()
    assert "ignore_result=True" in fixed and "retry_backoff=True" in fixed
    assert result.remaining == []
    again = check_one("t.py", result.fixed, settings("CEL202", "CEL998"))
    assert again.fixed is None


def test_fix_that_does_not_parse_is_never_returned(extra_rules):
    extra_rules(BreaksCodeRule)
    result = check_one("t.py", RETRYING, settings("CEL997"))
    assert result.fixed is None
    assert result.internal_error and "does not parse" in result.error


def test_a_crashing_rule_is_that_files_error(extra_rules, tmp_path):
    extra_rules(CrashesRule)
    (tmp_path / "a.py").write_bytes(RETRYING)
    (tmp_path / "b.py").write_bytes(b"x = 1\n")
    results = run_files([str(tmp_path / "a.py"), str(tmp_path / "b.py")], settings("CEL996"), jobs=1)
    assert "internal error: KeyError" in results[0].error
    assert results[1].error is None


@pytest.mark.parametrize(
    "expression",
    [b"(" * 3000 + b"1" + b")" * 3000, b"+".join([b"a"] * 30000), b"(" + b" +\n".join([b"a"] * 30000) + b")"],
    ids=["nested-parens", "long-operator-chain", "multi-line-chain"],
)
def test_pathological_nesting_is_that_files_error(expression):
    # each crashes libcst's native parser (segmentation fault): the engine must refuse them first
    deep = b"from celery import shared_task\nautoretry_for = " + expression + b"\n"
    result = check_one("deep.py", deep, settings("CEL202"))
    assert result.error.startswith("deep.py: too deeply nested to analyse safely")
    assert result.fixed is None and result.findings == []


def test_deep_but_valid_code_is_still_checked():
    source = RETRYING + b"x = " + b"(" * 150 + b"1" + b")" * 150 + b"\n"
    result = check_one("t.py", source, settings("CEL202"))
    assert result.error is None and [f.code for f in result.findings] == ["CEL202"]


def test_unsafe_fixes_only_with_the_flag(extra_rules):
    class UnsafeRule(AddsIgnoreResultRule):
        CODE = "CEL995"
        NAME = "unsafe-double"

        def report(self, node, message=None, **kwargs):
            super().report(node, message, **{**kwargs, "unsafe": True})

    extra_rules(UnsafeRule)
    safe_only = check_one("t.py", RETRYING, settings("CEL995"))
    assert [f.fix for f in safe_only.findings] == ["unsafe"]
    assert safe_only.fixed is None
    with_unsafe = check_one("t.py", RETRYING, settings("CEL995", unsafe_fixes=True))
    assert b"ignore_result=True" in with_unsafe.fixed


def test_cache_returns_the_same_results_and_skips_parsing(tmp_path, monkeypatch):
    (tmp_path / "t.py").write_bytes(RETRYING)
    paths = [str(tmp_path / "t.py")]
    run_settings = settings("CEL202")
    cache = ResultCache(tmp_path, settings_fingerprint(run_settings))
    cold = run_files(paths, run_settings, jobs=1, cache=cache)
    assert cold[0].parsed

    def no_parsing(*args, **kwargs):
        raise AssertionError("a warm run must not parse")

    monkeypatch.setattr(engine, "check_source", no_parsing)
    warm = run_files(paths, run_settings, jobs=1, cache=cache)
    assert warm[0].findings == cold[0].findings and warm[0].fixed == cold[0].fixed
    assert warm[0].original == RETRYING
    assert (tmp_path / ".celery-fix-cache" / ".gitignore").read_text() == "*\n"


def test_cache_key_changes_with_settings_and_content(tmp_path):
    a = ResultCache(tmp_path, settings_fingerprint(settings("CEL202")))
    b = ResultCache(tmp_path, settings_fingerprint(settings("CEL202", unsafe_fixes=True)))
    assert a.key("t.py", RETRYING) != b.key("t.py", RETRYING)
    assert a.key("t.py", RETRYING) != a.key("t.py", RETRYING + b"\n")


def test_corrupt_cache_entry_is_a_miss(tmp_path):
    run_settings = settings("CEL202")
    cache = ResultCache(tmp_path, settings_fingerprint(run_settings))
    (tmp_path / "t.py").write_bytes(RETRYING)
    key = cache.key(str(tmp_path / "t.py"), RETRYING)
    entry = cache.directory / key[:2] / key
    entry.parent.mkdir(parents=True)
    entry.write_bytes(b"not a pickle")
    result = run_files([str(tmp_path / "t.py")], run_settings, jobs=1, cache=cache)
    assert result[0].findings and result[0].parsed


def test_settings_fingerprint_is_stable_across_processes():
    """Set order follows string hashing, which differs per process: the fingerprint must not."""
    import subprocess
    import sys

    code = (
        "from celery_fix.engine.checker import EngineSettings; from celery_fix.engine.cache import settings_fingerprint; "
        "print(settings_fingerprint(EngineSettings(codes=('CEL202',), rule_options={}, "
        "project_apps=frozenset({'a.app', 'b.app', 'c.app', 'd.celery_app'}))))"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1 and outputs.pop().strip()


def _sources_with_fixes():
    """Every snapshot input and the example project's files: code the fixes apply to."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    paths = sorted(p for p in (root / "snapshots").rglob("*.py") if not p.name.endswith(".fixed.py"))
    return paths + sorted((root / "examples" / "shop").rglob("*.py"))


@pytest.mark.parametrize("unsafe", [True, False])
def test_single_pass_shortcut_gives_what_the_full_fix_loop_gives(monkeypatch, tmp_path, unsafe):
    """When every fix lands as a text edit the engine does not parse and check the result again
    (engine._settled): with every rule on, that must give the findings, fixed code and remaining
    findings (moved to their new lines) that re-checking gives. A fix whose output another fix
    applies to would show up here; without unsafe fixes, so would a report left unfixed that a
    rule wrongly says survives the others' fixes (SURVIVES_FIXES_OF)."""
    from pathlib import Path

    from celery_fix.index.build import build_index

    repo = Path(__file__).resolve().parent.parent
    shop = repo / "examples" / "shop"
    index = build_index(sorted(shop.rglob("*.py")), shop)
    # the benchmark's generated project: many fixes per file, several rules on one task
    sys.path.insert(0, str(repo / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(repo / "bench"))
    generate(tmp_path / "synthetic", 3, seed=1, unrelated_scale=0.05)
    synthetic = sorted((tmp_path / "synthetic").rglob("*.py"))
    synthetic_index = build_index(synthetic, tmp_path / "synthetic")
    codes = tuple(r.CODE for r in all_rule_classes())
    settled = []
    real_settled = engine._settled
    monkeypatch.setattr(engine, "_settled", lambda *a: settled.append(real_settled(*a)) or settled[-1])
    fixed = 0
    for path in _sources_with_fixes() + synthetic:
        data = path.read_bytes()
        with_index = index if shop in path.parents else synthetic_index if path in synthetic else None
        root = str(tmp_path / "synthetic") if path in synthetic else str(shop)
        fast = check_one(str(path), data, EngineSettings(codes, {}, unsafe_fixes=unsafe, index=with_index, root=root))
        full = check_one(
            str(path), data, EngineSettings(codes, {}, unsafe_fixes=unsafe, index=with_index, root=root, full_fix_loop=True)
        )
        assert (fast.findings, fast.fixed, fast.remaining, fast.error) == (full.findings, full.fixed, full.remaining, full.error), path
        fixed += fast.fixed is not None
    assert fixed > 50 and sum(s is not None for s in settled) > 25  # the shortcut was taken, many times


def test_word_scan_cache_skips_scanning_an_unchanged_file(tmp_path, monkeypatch):
    from celery_fix.engine.wordscan import ScanCache, WordScan

    store = ResultCache(tmp_path, "scan test")
    scan = WordScan({b"celery", b"Celery", b".delay", b"queue"})
    first = ScanCache(store, scan)
    found = first.found(scan, b"from celery import Celery\n", b"digest-1")
    assert found.words == {b"celery", b"Celery"} and found.any([b"Celery"]) and not found.any([b"queue"])
    first.save()

    def no_scanning(*args):
        raise AssertionError("an unchanged file must not be scanned again")

    monkeypatch.setattr(WordScan, "found", no_scanning)
    again = ScanCache(store, scan).found(scan, b"from celery import Celery\n", b"digest-1")
    assert again.words == found.words
    # another word list is another cache entry
    assert ScanCache(store, WordScan({b"celery"})).known == {}


def test_a_run_over_part_of_the_tree_keeps_the_other_files_scans(tmp_path):
    from celery_fix.engine.wordscan import ScanCache, WordScan

    store = ResultCache(tmp_path, "scan test")
    scan = WordScan({b"celery"})
    whole = ScanCache(store, scan)
    for number in range(10):
        whole.found(scan, b"import celery\n", f"file-{number}".encode())
    whole.save()
    one_file = ScanCache(store, scan)
    one_file.found(scan, b"import celery  # edited\n", b"file-0-edited")
    one_file.save()
    assert set(ScanCache(store, scan).known) == {f"file-{n}".encode() for n in range(10)} | {b"file-0-edited"}
    # a whole run again keeps only what it saw: the old version drops out
    again = ScanCache(store, scan)
    for name in [b"file-0-edited", *(f"file-{n}".encode() for n in range(1, 10))]:
        again.found(scan, b"import celery\n", name)
    again.save()
    assert b"file-0" not in ScanCache(store, scan).known


def test_a_fix_that_makes_another_fixable_is_followed_by_another_pass():
    """CEL806 gives the crontab `minute=0`; only then is the beat entry's period known and CEL801
    can add `expires`, though its report does not contain the edit."""
    source = (
        b"from celery.schedules import crontab\n\nNIGHTLY = crontab(hour=3)\n\n"
        b'CELERY_BEAT_SCHEDULE = {\n    "nightly": {"task": "shop.tasks.a", "schedule": NIGHTLY},\n}\n'
    )
    result = check_one("beat.py", source, settings("CEL801", "CEL806", unsafe_fixes=True))
    assert [(f.code, f.fix) for f in result.findings] == [("CEL806", "unsafe"), ("CEL801", None)]
    assert b"crontab(hour=3, minute=0)" in result.fixed
    assert b'"options": {"expires": 24 * 60 * 60}' in result.fixed and result.remaining == []


def test_prefilter_triage_and_reduced_modules_lose_nothing_on_a_generated_project(tmp_path, monkeypatch):
    """The whole fast path (words scanned and files sorted in worker processes, each module
    reduced to what the rules need, the single-pass shortcut) against the plain one (every file
    parsed whole, every rule run): same findings, same fixed code."""
    from pathlib import Path

    from celery_fix.config import Config
    from celery_fix.discover import discover
    from celery_fix.engine.files import SourceReader
    from celery_fix.engine.registry import all_rule_infos
    from celery_fix.index import build as project
    from celery_fix.run import _word_scan

    repo = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(repo / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(repo / "bench"))
    root = tmp_path / "proj"
    generate(root, 4, seed=3, unrelated_scale=0.3)
    monkeypatch.setattr(project, "TRIAGE_THRESHOLD", 0)
    files = discover([root], Config(root=root)).files
    rules = list(all_rule_infos())
    codes = tuple(r.CODE for r in rules)

    def results(prefilter: bool):
        read = SourceReader(_word_scan(rules, Config(root=root)))
        index = project.build_index(files, root, jobs=2, read=read)
        run_settings = EngineSettings(codes, {}, unsafe_fixes=True, root=str(root), index=index, prefilter=prefilter,
                                      project_apps=frozenset(index.apps))
        return read, run_files([str(f) for f in files], run_settings, jobs=2, read=read)

    fast_reader, fast = results(True)
    _, plain = results(False)
    assert any(fast_reader.plan(f) for f in files)  # the index's pass planned reductions
    assert sum(r.fixed is not None for r in fast) > 5
    for a, b in zip(fast, plain):
        assert (a.path, a.findings, a.fixed, a.remaining, a.error) == (b.path, b.findings, b.fixed, b.remaining, b.error)


def test_the_code_digest_follows_every_module_of_the_package(tmp_path):
    from celery_fix.engine.code_digest import code_digest

    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "a.py").write_text("A = 1\n")
    (package / "sub" / "b.py").write_text("B = 1\n")
    (package / "notes.txt").write_text("not code\n")
    first = code_digest.__wrapped__(str(package))
    (package / "notes.txt").write_text("still not code, longer\n")
    assert code_digest.__wrapped__(str(package)) == first
    (package / "sub" / "b.py").write_text("B = 22\n")  # one byte more
    second = code_digest.__wrapped__(str(package))
    assert second != first
    stat = (package / "a.py").stat()
    os.utime(package / "a.py", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1000))  # same size, other mtime
    assert code_digest.__wrapped__(str(package)) not in (first, second)


def test_the_code_digest_follows_the_python_and_the_libcst_it_runs_on(tmp_path, monkeypatch):
    """An upgrade of Python (its `ast` makes the index's facts) or of libcst (its parser makes the
    rules' trees) must not read what the old one cached."""
    import importlib.machinery

    from celery_fix.engine import code_digest as module

    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("A = 1\n")
    libcst = tmp_path / "site" / "libcst"
    libcst.mkdir(parents=True)
    (libcst / "_version.py").write_text("__version__ = '1.9.0'\n")
    (libcst / "native.cpython-311-x86_64-linux-gnu.so").write_bytes(b"\0" * 8)
    spec = importlib.machinery.ModuleSpec("libcst", None, is_package=True)
    spec.submodule_search_locations = [str(libcst)]
    monkeypatch.setattr(module.importlib.util, "find_spec", lambda name: spec if name == "libcst" else None)
    first = module.code_digest.__wrapped__(str(package))
    (libcst / "_version.py").write_text("__version__ = '1.10.0'\n")
    second = module.code_digest.__wrapped__(str(package))
    assert second != first
    (libcst / "native.cpython-311-x86_64-linux-gnu.so").write_bytes(b"\0" * 9)
    third = module.code_digest.__wrapped__(str(package))
    assert third not in (first, second)
    monkeypatch.setattr(module.sys, "version", module.sys.version + " (other build)")
    assert module.code_digest.__wrapped__(str(package)) not in (first, second, third)


def test_other_code_of_the_same_version_never_reads_the_cache(tmp_path, monkeypatch):
    """An editable checkout that changed code keeps `__version__`: its results must not come
    from the entries the old code wrote."""
    from celery_fix.engine import cache as cache_module

    run_settings = settings("CEL202")
    path = tmp_path / "t.py"
    path.write_bytes(RETRYING)
    old = ResultCache(tmp_path, settings_fingerprint(run_settings))
    run_files([str(path)], run_settings, jobs=1, cache=old)
    key = old.key(str(path), RETRYING)
    assert old.get(key) is not None
    monkeypatch.setattr(cache_module, "code_digest", lambda: "other-code")
    new = ResultCache(tmp_path, settings_fingerprint(run_settings))
    assert new.directory.parent == old.directory.parent and new.directory != old.directory
    assert new.get(key) is None
    warm = run_files([str(path)], run_settings, jobs=1, cache=new)
    assert warm[0].parsed  # computed by this code, not read


@pytest.mark.parametrize(
    ("decorator", "line_length", "wrapped"),
    [
        ("@shared_task(autoretry_for=(requests.RequestException,), ignore_result=True)", 88, True),
        ("@shared_task(autoretry_for=(requests.RequestException,), ignore_result=True)", 140, False),  # it fits
        ("@shared_task(autoretry_for=(requests.RequestException,), ignore_result=True)  # keep", 88, False),
    ],
)
def test_a_decorator_call_the_fix_makes_too_long_is_wrapped_as_black_does(decorator, line_length, wrapped):
    from celery_fix.engine.style import CodeStyle

    source = f"import requests\nfrom celery import shared_task\n\n\n{decorator}\ndef sync():\n    pass\n".encode()
    settings = EngineSettings(frozenset({"CEL202"}), {}, style=CodeStyle(line_length=line_length))
    fixed = check_one("tasks.py", source, settings).fixed.decode()
    assert "retry_backoff=True" in fixed
    assert ("@shared_task(\n    autoretry_for=" in fixed) is wrapped
    if wrapped:
        assert all(len(line) <= line_length for line in fixed.splitlines())


def test_settings_rules_that_skip_test_code_do_not_parse_a_test_file(monkeypatch):
    """CEL306/CEL604/CEL307 report nothing in test code (its settings are fixtures): the engine
    does not parse a test module for them; the same settings elsewhere are reported."""
    source = b'CELERY_TASK_ALWAYS_EAGER = True\nCELERY_BROKER_URL = "redis://user:secret@cache:6379/0"\n'
    outside = check_one("shop/settings.py", source, settings("CEL306", "CEL604"))
    assert sorted(f.code for f in outside.findings) == ["CEL306", "CEL604"]
    skipping = [r.CODE for r in all_rule_classes() if r.SKIPS_TEST_CODE]
    assert sorted(skipping) == ["CEL306", "CEL307", "CEL604"]

    def no_parse(path, source):
        raise AssertionError(f"{path} was parsed")

    monkeypatch.setattr(engine, "_parse", no_parse)
    for path in ("shop/tests/settings.py", "shop/test_settings.py", "conftest.py"):
        result = check_one(path, source, settings("CEL306", "CEL604", "CEL307"))
        assert result.findings == [] and result.error is None and not result.parsed


def test_each_rules_visitor_names_are_the_ones_libcst_finds():
    """The engine's walk takes a rule's hook names from its class (CeleryRule.visitor_names, found
    once): they must be what libcst's get_visitors() finds on an instance."""
    for rule_class in all_rule_classes():
        assert rule_class.visitor_names() == tuple(rule_class().get_visitors()), rule_class.CODE


def test_little_work_is_checked_without_worker_processes(tmp_path, monkeypatch):
    """Starting workers costs more than a few small files take (runner.PARALLEL_BYTES): below it the
    files are checked in the main process whatever `jobs` says; above it, in workers."""
    from celery_fix.engine import pool, runner

    started = []

    class RecordingPool(pool.WorkerPool):
        def __init__(self, *args, **kwargs):
            started.append(kwargs.get("max_workers"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(pool, "WorkerPool", RecordingPool)
    monkeypatch.setattr(runner, "worker_count", lambda jobs: 2)
    paths = []
    for number in range(6):
        path = tmp_path / f"m{number}.py"
        path.write_text(f"from celery import shared_task\n\n@shared_task(autoretry_for=(IOError,))\ndef t{number}():\n    pass\n")
        paths.append(str(path))
    small = run_files(paths, settings("CEL202"), jobs=2)
    assert started == [] and all(r.findings for r in small)
    monkeypatch.setattr(runner, "PARALLEL_BYTES", 0)
    large = run_files(paths, settings("CEL202"), jobs=2)
    assert started == [2] and [r.findings for r in large] == [r.findings for r in small]


class SeenOnFixedVersionsRule(rule_base.CeleryRule):
    """Test double: a rule the index rules out on the original (as CEL501 at a file that is not the
    first app's) and that the engine runs on the fixed versions, which it judges without a path."""

    CODE = "CEL994"
    NAME = "seen-on-fixed-versions"
    MESSAGE = "a word"
    TRIGGERS = (b"odd_word",)

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        return path is None and super().relevant(source, index, path)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "odd_word":
            self.report(node)


_HELPERS = "".join(f"\n\ndef helper_{i}(x):\n    return [x] * {i}  # {'filler ' * 8}\n" for i in range(60))


@pytest.mark.parametrize("blanked_word", [False, True], ids=["word-in-kept-code", "word-in-a-blanked-helper"])
def test_a_rule_relevant_only_on_fixed_versions_is_served_by_the_reduced_module(extra_rules, monkeypatch, blanked_word):
    """A fixed version some rule not run on the original finds relevant is checked on the reduced
    module when that rule's words blank out nothing more (else the whole module, as before), and
    gives what always checking the whole module gives (the full fix loop: the fixed version is
    checked)."""
    extra_rules(AddsIgnoreResultRule, SeenOnFixedVersionsRule)
    odd = "\n\ndef uses_it():\n    return odd_word\n" if blanked_word else ""
    source = (
        "from celery import shared_task\n\n\n@shared_task()\ndef sync():\n    return odd_word\n" + odd + _HELPERS
    ).encode()
    parsed = []
    real_parse = engine._parse
    monkeypatch.setattr(engine, "_parse", lambda path, text: parsed.append(len(text)) or real_parse(path, text))
    result = check_one("t.py", source, settings("CEL998", "CEL994", full_fix_loop=True))
    assert [f.code for f in result.findings] == ["CEL998"] and result.fixed is not None
    assert [f.code for f in result.remaining] == (["CEL994", "CEL994"] if blanked_word else ["CEL994"])
    # the reduced module, its fixed version; with the word in a blanked helper, the whole module too
    assert len(parsed) == (4 if blanked_word else 2) and parsed[0] < len(source)
    fast = (result.findings, result.fixed, result.remaining)
    parsed.clear()
    monkeypatch.setattr(engine._Within, "serves", lambda self, rules: all(id(r) in self.ids for r in rules))
    slow = check_one("t.py", source, settings("CEL998", "CEL994", full_fix_loop=True))
    assert (slow.findings, slow.fixed, slow.remaining) == fast and len(parsed) == 4


def test_reports_left_that_survive_the_fixes_of_the_rules_that_fixed_settle_the_file(tmp_path, monkeypatch):
    """CEL101's reports survive CEL401's fixes (SURVIVES_FIXES_OF): a task module where only those
    landed is not parsed again, and gives what the full fix loop gives."""
    from celery_fix.index.build import build_index

    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "__init__.py").write_text("")
    (tmp_path / "proj" / "celery.py").write_text('from celery import Celery\n\napp = Celery("proj", backend="redis://localhost/1")\n')
    tasks = tmp_path / "proj" / "tasks.py"
    tasks.write_text(
        "from django.core.mail import send_mail\n\nfrom proj.celery import app\n\n\n"
        "@app.task\ndef notify(address):\n    send_mail('hi', 'body', None, [address])\n\n\n"
        "@app.task\ndef other(address):\n    return 1\n"
    )
    index = build_index(sorted(tmp_path.rglob("*.py")), tmp_path)
    codes = ("CEL101", "CEL401")
    settled = []
    real_settled = engine._settled
    monkeypatch.setattr(engine, "_settled", lambda *a: settled.append(real_settled(*a)) or settled[-1])
    data = tasks.read_bytes()
    fast = check_one(str(tasks), data, EngineSettings(codes, {}, unsafe_fixes=True, index=index, root=str(tmp_path)))
    assert sorted(f.code for f in fast.findings) == ["CEL101", "CEL401", "CEL401"]
    assert [f.code for f in fast.remaining] == ["CEL101"] and settled and settled[-1] is not None
    full = check_one(
        str(tasks), data, EngineSettings(codes, {}, unsafe_fixes=True, index=index, root=str(tmp_path), full_fix_loop=True)
    )
    assert (fast.findings, fast.fixed, fast.remaining) == (full.findings, full.fixed, full.remaining)
