"""The index's speed design: files are collected with the stdlib `ast` (libcst only as the fallback),
and with a cache a build on an unchanged tree parses nothing, yet gives the same index."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from celery_fix.index import build as project
from celery_fix.engine.cache import ResultCache
from celery_fix.config import Config
from celery_fix.discover import discover
from celery_fix.index import ast_collect
from celery_fix.index.build import build_index

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "shop"


class DictCache:
    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}
        self.gets = self.puts = 0

    def key(self, path: str, source: bytes) -> str:
        return f"{path}\0{hash(source)}"

    def get(self, key: str):
        self.gets += 1
        found = self.store.get(key)
        return None if found is None else pickle.loads(found)  # as a disk cache would: a fresh copy

    def put(self, key: str, value) -> None:
        self.puts += 1
        self.store[key] = pickle.dumps(value)


def files_of(root: Path) -> list[Path]:
    return discover([root], Config(root=root)).files


def comparable(index) -> dict:
    data = dict(vars(index))
    for name in ("stats", "_by_name", "_by_qualname"):
        data.pop(name)
    return data


def forbid_parsing(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("a warm build parsed a file")
    monkeypatch.setattr(project, "collect_file", refuse)


@pytest.mark.parametrize("root", [FIXTURES / "django_proj", FIXTURES / "class_proj", FIXTURES / "plain_proj", EXAMPLE])
def test_warm_build_parses_nothing_and_gives_the_same_index(root: Path, monkeypatch):
    files = files_of(root)
    plain = build_index(files, root, jobs=1)
    cache = DictCache()
    cold = build_index(files, root, jobs=1, cache=cache)
    assert cache.puts == cold.stats.parsed + 2 > 2  # each parsed file's facts, the linked index and its stat key
    with monkeypatch.context() as patch:
        forbid_parsing(patch)
        warm = build_index(files, root, jobs=1, cache=cache)
    assert comparable(plain) == comparable(cold) == comparable(warm)
    assert warm.stats.parsed == cold.stats.parsed and warm.stats.skipped == cold.stats.skipped


def test_changed_file_is_parsed_again(tmp_path: Path):
    (tmp_path / "tasks.py").write_text("from celery import shared_task\n\n@shared_task\ndef a():\n    pass\n")
    cache = DictCache()
    first = build_index(files_of(tmp_path), tmp_path, jobs=1, cache=cache)
    assert [t.name for t in first.tasks] == ["tasks.a"]
    (tmp_path / "tasks.py").write_text("from celery import shared_task\n\n@shared_task\ndef b():\n    pass\n")
    second = build_index(files_of(tmp_path), tmp_path, jobs=1, cache=cache)
    assert [t.name for t in second.tasks] == ["tasks.b"]


def test_module_name_is_part_of_the_key(tmp_path: Path):
    app = tmp_path / "app" / "sub"
    app.mkdir(parents=True)
    (app / "tasks.py").write_text("from celery import shared_task\n\n@shared_task\ndef a():\n    pass\n")
    cache = DictCache()
    # namespace directories below the root are part of the name (constructs/modules.py)
    assert [t.name for t in build_index(files_of(tmp_path), tmp_path, jobs=1, cache=cache).tasks] == ["app.sub.tasks.a"]
    (app / "__init__.py").write_text("")  # same bytes, same path: now the package chain names it sub.tasks
    assert [t.name for t in build_index(files_of(tmp_path), tmp_path, jobs=1, cache=cache).tasks] == ["sub.tasks.a"]


def test_with_the_real_result_cache(tmp_path: Path, monkeypatch):
    root = FIXTURES / "django_proj"
    files = files_of(root)
    cold = build_index(files, root, jobs=1, cache=ResultCache(tmp_path, "fingerprint"))
    forbid_parsing(monkeypatch)
    warm = build_index(files, root, jobs=1, cache=ResultCache(tmp_path, "fingerprint"))
    assert comparable(cold) == comparable(warm)


def test_facts_pickle_without_cst_nodes():
    source = (EXAMPLE / "orders" / "tasks.py") if (EXAMPLE / "orders" / "tasks.py").exists() else next(EXAMPLE.rglob("tasks.py"))
    facts = ast_collect.collect_source_ast(str(source), source.read_bytes(), "orders.tasks")
    assert facts.functions
    assert pickle.loads(pickle.dumps(facts)) == facts
    assert b"libcst" not in pickle.dumps(facts) and b"_ast" not in pickle.dumps(facts)


def test_the_index_never_imports_libcst():
    """One collector, on the stdlib `ast`: building the index loads no libcst module."""
    code = (
        "import sys; from pathlib import Path; from celery_fix.index.build import build_index; "
        f"root = Path({str(EXAMPLE)!r}); "
        "index = build_index(sorted(root.rglob('*.py')), root, jobs=1); "
        "assert index.tasks and not index.errors; "
        "assert not [m for m in sys.modules if m.startswith('libcst')], 'libcst imported'"
    )
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", code], check=True)


def test_newer_syntax_is_a_warning_and_no_facts(tmp_path: Path):
    import sys

    if sys.version_info >= (3, 12):
        pytest.skip("the running Python parses PEP 695 syntax itself")
    path = tmp_path / "m.py"
    path.write_bytes(b"from celery import shared_task\ntype Alias = list[int]\n@shared_task\ndef f[T](x: T) -> T:\n    return x\n")
    index = build_index([path], tmp_path, jobs=1)
    assert not index.errors and not index.tasks
    [(name, message)] = index.warnings.items()
    assert name == str(path) and message.startswith(f"{path}: not indexed, Python 3.")
    assert "line 2" in message and str(path) not in index.indexed_files


def test_linked_index_cache_misses_when_any_file_changes(tmp_path: Path):
    """The whole linked index is cached under a digest of every file: a change to a file the
    prefilter skips (it may hold a `**OPTIONS` dict linking reads) must rebuild it."""
    (tmp_path / "tasks.py").write_text(
        "from celery import shared_task\nfrom opts import RETRY\n\n@shared_task(**RETRY)\ndef a():\n    pass\n"
    )
    (tmp_path / "opts.py").write_text("RETRY = {'max_retries': 3}\n")
    cache = DictCache()
    first = build_index(files_of(tmp_path), tmp_path, jobs=1, cache=cache)
    (tmp_path / "opts.py").write_text("RETRY = {'max_retries': 7}\n")
    second = build_index(files_of(tmp_path), tmp_path, jobs=1, cache=cache)
    assert first.tasks[0].options.get("max_retries") == 3
    assert second.tasks[0].options.get("max_retries") == 7


@pytest.mark.parametrize("root", [FIXTURES / "django_proj", FIXTURES / "class_proj", EXAMPLE])
def test_triage_in_worker_processes_gives_the_same_index_and_words(root: Path, monkeypatch):
    """A cold run over a large tree scans and sorts the files in worker processes: the index, and
    the words the engine's prefilter gets for each file, must be those of the serial pass."""
    from celery_fix.engine.files import SourceReader
    from celery_fix.index.build import ATOMIC_WORDS, PREFILTER_WORDS
    from celery_fix.engine.wordscan import WordScan

    files = files_of(root)
    scan = WordScan({*PREFILTER_WORDS, *ATOMIC_WORDS, b"crontab", b"queue"})
    serial_reader, parallel_reader = SourceReader(scan), SourceReader(scan)
    serial = build_index(files, root, jobs=1, read=serial_reader)
    monkeypatch.setattr(project, "TRIAGE_THRESHOLD", 0)
    waited = []
    parallel = build_index(files, root, jobs=2, read=parallel_reader, while_waiting=lambda: waited.append(1))
    assert waited == [1]  # it did run in workers
    assert comparable(parallel) == comparable(serial)
    assert (parallel.stats.parsed, parallel.stats.skipped) == (serial.stats.parsed, serial.stats.skipped)
    for path in files:
        source = path.read_bytes()
        assert parallel_reader.found(path, source).words == serial_reader.found(path, source).words, path


def test_triage_workers_that_read_files_report_an_unreadable_one_once(tmp_path, monkeypatch, capsys):
    """Without a cache the triage workers read the files themselves: a file that cannot be read
    is still one error line, as in the serial pass."""
    from celery_fix.run import RunOptions, execute

    (tmp_path / "pyproject.toml").write_text("[tool.celery-fix]\n")
    (tmp_path / "tasks.py").write_text(
        "from celery import shared_task\n\n@shared_task(autoretry_for=(IOError,))\ndef sync():\n    pass\n"
    )
    (tmp_path / "broken.py").symlink_to(tmp_path / "missing.py")
    outputs = []
    for threshold in (10_000, 0):
        monkeypatch.setattr(project, "TRIAGE_THRESHOLD", threshold)
        code = execute(RunOptions(paths=(tmp_path,), no_cache=True, jobs=2))
        captured = capsys.readouterr()
        outputs.append((code, captured.out, captured.err))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == 2 and outputs[0][2].count("broken.py") == 1


def _without_digest(index) -> dict:
    data = comparable(index)
    data.pop("digest")
    return data


def _copy_of_shop(tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "shop"
    shutil.copytree(EXAMPLE, target)
    (target / "orders" / "broken.py").write_text("from celery import shared_task\ndef f(:\n")  # an error message names a file too
    return target


def test_index_cached_from_absolute_paths_serves_a_relative_run(tmp_path: Path, monkeypatch):
    """A full run names the tree absolutely, pre-commit names files relative to the project: the
    second run takes the cached index with its files renamed, and it is the index it would build."""
    shop = _copy_of_shop(tmp_path)
    cache_root = tmp_path / "cache"
    absolute = build_index(files_of(shop), shop, jobs=1, cache=ResultCache(cache_root, "fingerprint"))
    assert absolute.warnings and all(w.startswith(str(shop)) for w in absolute.warnings)
    monkeypatch.chdir(shop)
    relative_files = files_of(Path("."))
    assert all(not p.is_absolute() for p in relative_files)
    built = build_index(relative_files, Path("."), jobs=1)
    with monkeypatch.context() as patch:
        forbid_parsing(patch)
        warm = build_index(relative_files, Path("."), jobs=1, cache=ResultCache(cache_root, "fingerprint"))
    assert _without_digest(warm) == _without_digest(built) != _without_digest(absolute)
    assert warm.digest != absolute.digest  # results naming other files differ with the names
    assert warm.tasks and warm.task_by_qualname(warm.tasks[0].qualname) is warm.tasks[0]  # lookups rebuilt
    monkeypatch.chdir(shop / "orders")  # relative again, from elsewhere: renamed once more
    from_below = [Path(os.path.relpath(p, shop / "orders")) for p in files_of(shop)]
    with monkeypatch.context() as patch:
        forbid_parsing(patch)
        again = build_index(from_below, Path(".."), jobs=1, cache=ResultCache(cache_root, "fingerprint"))
    assert _without_digest(again) == _without_digest(build_index(from_below, Path(".."), jobs=1))


def test_one_file_run_after_an_absolute_full_run_builds_no_index(tmp_path: Path, monkeypatch):
    """The bug of issue 18: `celery-fix /abs/proj` then `celery-fix orders/tasks.py` rebuilt the
    index (the cached one was keyed by the file names as spelled)."""
    from click.testing import CliRunner

    from celery_fix.cli import main

    shop = _copy_of_shop(tmp_path)
    (shop / "orders" / "broken.py").unlink()
    (shop / "pyproject.toml").write_text("[tool.celery-fix]\n")  # the cache's place, wherever the run starts
    runner = CliRunner(mix_stderr=False)
    runner.invoke(main, ["-q", str(shop)], catch_exceptions=False)
    monkeypatch.chdir(shop)
    expected = runner.invoke(main, ["--no-cache", "--format", "json", "orders/tasks.py"], catch_exceptions=False)
    with monkeypatch.context() as patch:
        forbid_parsing(patch)
        one = runner.invoke(main, ["--format", "json", "orders/tasks.py"], catch_exceptions=False)
    assert one.exit_code == expected.exit_code == 1, one.stderr
    assert one.output == expected.output


def test_respell_refuses_a_name_of_no_file(tmp_path: Path):
    from celery_fix.index.build import ProjectIndex
    from celery_fix.index.model import DispatchSite
    from celery_fix.index.respell import Unmapped, respell

    index = ProjectIndex(dispatches=[DispatchSite("gone.py", 1, "delay", None)], indexed_files={"a.py"})
    with pytest.raises(Unmapped):
        respell(index, str(tmp_path), [tmp_path / "a.py"])
    index = ProjectIndex(dispatches=[DispatchSite("a.py", 1, "delay", None)], errors={"a.py": "a.py:3:1: syntax error"})
    respell(index, str(tmp_path), [tmp_path / "a.py"])
    assert index.dispatches[0].path == str(tmp_path / "a.py")
    assert index.errors == {str(tmp_path / "a.py"): f"{tmp_path / 'a.py'}:3:1: syntax error"}


def test_unchanged_tree_reads_no_file_for_the_index(tmp_path: Path):
    """The second build finds the index by the files' stat signatures, without reading them;
    a file rewritten with the same size and modification time is still seen (its change time moved)."""
    (tmp_path / "tasks.py").write_text("from celery import shared_task\n\n@shared_task\ndef a():\n    pass\n")
    (tmp_path / "opts.py").write_text("RETRY = 1\n")
    files = files_of(tmp_path)
    first = build_index(files, tmp_path, jobs=1, cache=ResultCache(tmp_path / "cache", "fp"))

    def refuse(path):
        raise AssertionError(f"read {path}")

    again = build_index(files, tmp_path, jobs=1, cache=ResultCache(tmp_path / "cache", "fp"), read=refuse)
    assert comparable(again) == comparable(first)
    tasks = tmp_path / "tasks.py"
    info = tasks.stat()
    tasks.write_text(tasks.read_text().replace("def a", "def b"))
    os.utime(tasks, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert tasks.stat().st_mtime_ns == info.st_mtime_ns and tasks.stat().st_size == info.st_size
    changed = build_index(files, tmp_path, jobs=1, cache=ResultCache(tmp_path / "cache", "fp"))
    assert [t.name for t in changed.tasks] == ["tasks.b"]


def test_round_two_finds_a_call_of_a_dispatching_function_by_whole_names():
    """The second round's test (build._may_call_any) looks for the dispatcher's name as a whole
    identifier: a call, an alias import and a method through its class or instance pass; the name
    inside a longer one does not."""
    dispatchers = {(b"notify", None), (b"perform", b"Mutation"), ("envoy\u00e9".encode(), None)}
    assert project._may_call_any(b"with atomic():\n    notify(order)\n", dispatchers)
    assert project._may_call_any(b"from shop.x import notify as tell\nwith atomic():\n    tell()\n", dispatchers)
    assert project._may_call_any(b"with atomic():\n    Mutation.perform(x)\n", dispatchers)
    assert project._may_call_any("with atomic():\n    envoy\u00e9(x)\n".encode(), dispatchers)
    assert not project._may_call_any(b"with atomic():\n    renotify_all(order)\n", dispatchers)
    assert not project._may_call_any(b"with atomic():\n    BaseMutation.perform(x)\n", dispatchers)
    assert not project._may_call_any(b"with atomic():\n    notify(order)\n", set())
