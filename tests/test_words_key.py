"""The index's words key (index/build.py `_words_key`): after an edit to a file with no word of the
index's first round, the linked index comes from the cache with no link; any edit that can change
the index (a celery word added, a module the linker loads) builds it again; the output is always
the cold run's."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from celery_fix import run_cache
from celery_fix.cli import main
from celery_fix.engine import stat_digests
from celery_fix.index import build

SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop"


@pytest.fixture(autouse=True)
def _trusted(tmp_path, monkeypatch):
    monkeypatch.setenv("CELERY_FIX_CACHE_DIR", str(tmp_path / "cache"))
    # the trees were just written: trust them anyway (the racy rules have their own tests)
    monkeypatch.setattr(run_cache, "RACY_NS", 0)
    monkeypatch.setattr(stat_digests, "RACY_NS", 0)


def _run(*args: str):
    result = CliRunner(mix_stderr=False).invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _links(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = build.link

    def counting(linker):
        calls.append(1)
        return real(linker)

    monkeypatch.setattr(build, "link", counting)
    return calls


@pytest.fixture
def shop(tmp_path, monkeypatch):
    root = tmp_path / "shop"
    shutil.copytree(SHOP, root, ignore=shutil.ignore_patterns(".celery-fix-cache"))
    (root / "shop" / "helpers.py").write_text("def total(items):\n    return sum(items)\n")
    monkeypatch.chdir(root)
    return root


def test_an_edit_to_a_file_without_the_index_words_links_nothing(shop, monkeypatch):
    _run(".")
    (shop / "shop" / "helpers.py").write_text("def total(items):\n    return sum(items) + 0\n")
    _run("shop/helpers.py")  # this run's own index is built: the words key is stored with it
    (shop / "shop" / "helpers.py").write_text("def total(items):\n    return sum(items) + 1\n")
    links = _links(monkeypatch)
    warm = _run(".")
    assert links == []  # the index came from the words key
    assert warm == _run("--no-cache", ".")


def test_a_celery_word_added_builds_the_index_again(shop, monkeypatch):
    _run(".")
    (shop / "shop" / "helpers.py").write_text("def total(items):\n    return sum(items) + 0\n")
    _run(".")
    (shop / "shop" / "helpers.py").write_text(textwrap.dedent("""\
        from celery import shared_task


        @shared_task
        def total(items):
            return sum(items)
        """))
    links = _links(monkeypatch)
    warm = _run(".")
    assert links  # the file is no longer free: the index is built
    cold = _run("--no-cache", ".")
    assert warm == cold and "helpers.py" in cold[1]


def _build(root: Path, monkeypatch):
    """One build the way a run makes it: a reader with the word scan and stat tables, saved after."""
    from celery_fix.engine.cache import ResultCache
    from celery_fix.engine.files import SourceReader
    from celery_fix.engine.stat_digests import StatDigests
    from celery_fix.engine.wordscan import ScanCache, WordScan

    scan = WordScan({*build.PREFILTER_WORDS, *build.ATOMIC_WORDS})
    store = ResultCache(root, "x")
    read = SourceReader(scan, ScanCache(store, scan), StatDigests(store))
    files = sorted(root.rglob("*.py"))
    index = build.build_index(files, root, jobs=1, cache=ResultCache(root, "index"), read=read)
    read.scan_cache.save()
    read.digests.save()
    return index


def test_a_free_module_the_linker_loads_counts_with_its_bytes(tmp_path, monkeypatch):
    (tmp_path / "tasks.py").write_text(
        "from celery import shared_task\nfrom opts import RETRY\n\n@shared_task(**RETRY)\ndef a():\n    pass\n"
    )
    (tmp_path / "opts.py").write_text("RETRY = {'max_retries': 3}\n")  # no word of the index: free
    (tmp_path / "other.py").write_text("X = 1\n")
    assert _build(tmp_path, monkeypatch).tasks[0].options.get("max_retries") == 3
    (tmp_path / "other.py").write_text("X = 2\n")
    links = _links(monkeypatch)
    assert _build(tmp_path, monkeypatch).tasks[0].options.get("max_retries") == 3
    assert links == []  # an unloaded free file changed: the words key
    (tmp_path / "opts.py").write_text("RETRY = {'max_retries': 7}\n")
    assert _build(tmp_path, monkeypatch).tasks[0].options.get("max_retries") == 7
    assert links  # the loaded one changed: built again
