"""The index's words key (index/build.py `_words_key`): after an edit to a file with no word of the
index's first round, the linked index comes from the cache with no link; any edit that can change
the index (a celery word added, a module the linker loads) builds it again; the output is always
the cold run's."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from celery_fix.index import build
from tests.cached_shop import copy_shop, run_cli, trust_fresh_files


@pytest.fixture(autouse=True)
def _trusted(tmp_path, monkeypatch):
    trust_fresh_files(tmp_path, monkeypatch)


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
    root = copy_shop(tmp_path, monkeypatch)
    (root / "shop" / "helpers.py").write_text("def total(items):\n    return sum(items)\n")
    return root


def test_an_edit_to_a_file_without_the_index_words_links_nothing(shop, monkeypatch):
    run_cli(".")
    (shop / "shop" / "helpers.py").write_text("def total(items):\n    return sum(items) + 0\n")
    run_cli("shop/helpers.py")  # this run's own index is built: the words key is stored with it
    (shop / "shop" / "helpers.py").write_text("def total(items):\n    return sum(items) + 1\n")
    links = _links(monkeypatch)
    warm = run_cli(".")
    assert links == []  # the index came from the words key
    assert warm == run_cli("--no-cache", ".")


def test_a_celery_word_added_builds_the_index_again(shop, monkeypatch):
    run_cli(".")
    (shop / "shop" / "helpers.py").write_text("def total(items):\n    return sum(items) + 0\n")
    run_cli(".")
    (shop / "shop" / "helpers.py").write_text(textwrap.dedent("""\
        from celery import shared_task


        @shared_task
        def total(items):
            return sum(items)
        """))
    links = _links(monkeypatch)
    warm = run_cli(".")
    assert links  # the file is no longer free: the index is built
    cold = run_cli("--no-cache", ".")
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
