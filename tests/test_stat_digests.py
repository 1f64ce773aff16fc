"""The stat -> digest table (celery_fix/engine/stat_digests.py): an unchanged file's digest without a
read; an edited file is always read again (never a stale digest), a racy one is not kept, and a run
that takes the table gives what a cold run gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from celery_fix.engine import files as files_module
from celery_fix.engine import stat_digests
from celery_fix.engine.cache import ResultCache
from celery_fix.engine.files import SourceReader, content_digest
from celery_fix.engine.stat_digests import StatDigests, signature
from tests.cached_shop import copy_shop, run_cli, trust_fresh_files


@pytest.fixture
def shop(tmp_path, monkeypatch):
    trust_fresh_files(tmp_path, monkeypatch)
    return copy_shop(tmp_path, monkeypatch)


def _reads(monkeypatch) -> list[str]:
    """The files the run's SourceReader reads from disk."""
    read: list[str] = []
    real = files_module.read_source

    def counting(path):
        read.append(str(path))
        return real(path)

    monkeypatch.setattr(files_module, "read_source", counting)
    return read


def _python_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.py") if ".celery-fix-cache" not in p.parts)


def test_after_one_edit_the_run_reads_only_what_it_needs_and_gives_the_cold_output(shop, monkeypatch):
    run_cli(".")  # fills the table
    target = shop / "orders" / "services.py"
    target.write_bytes(target.read_bytes().replace(b"refund_payment.delay(order.pk)", b"refund_payment(order.pk)"))
    cold = run_cli("--no-cache", ".")
    reads = _reads(monkeypatch)
    warm = run_cli(".")
    assert warm == cold
    assert "orders/services.py" in {os.path.normpath(r) for r in reads}  # the edited file is read
    # files with no word of the index's first round are neither read for its key nor its triage
    assert len(set(reads)) < len(_python_files(shop))
    # and the one-file run (pre-commit) agrees with the cold one-file run
    assert run_cli("orders/services.py") == run_cli("--no-cache", "orders/services.py")


def test_a_rewrite_keeping_size_and_mtime_is_read_again(shop):
    run_cli(".")
    target = shop / "orders" / "services.py"
    before = os.stat(target)
    source = target.read_bytes()
    edited = source.replace(b"notify_warehouse.delay(order.pk)", b"notify_warehouse.dxlay(order.pk)")
    assert len(edited) == len(source) and edited != source
    target.write_bytes(edited)
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # (the change time still moves)
    assert run_cli(".") == run_cli("--no-cache", ".")


def test_the_table_gives_a_digest_only_for_the_kept_signature(tmp_path, monkeypatch):
    monkeypatch.setattr(stat_digests, "RACY_NS", 0)
    path = tmp_path / "a.py"
    path.write_bytes(b"x = 1\n")
    store = ResultCache(tmp_path, "stat digests")
    table = StatDigests(store)
    info = os.stat(path)
    table.record(str(path), info, content_digest(b"x = 1\n"))
    table.save()
    again = StatDigests(store)
    assert again.digest(str(path), info) == content_digest(b"x = 1\n")
    path.write_bytes(b"x = 2\n")
    assert again.digest(str(path), os.stat(path)) is None  # another signature: read it


def test_a_racy_file_is_not_kept(tmp_path):
    path = tmp_path / "a.py"
    path.write_bytes(b"x = 1\n")  # written just now: a same-size write in the same tick would not show
    table = StatDigests(ResultCache(tmp_path, "stat digests"))
    table.record(str(path), os.stat(path), content_digest(b"x = 1\n"))
    assert table.seen == {} and table.changed == 0


def test_a_read_that_finds_other_bytes_than_the_table_is_stale(tmp_path, monkeypatch):
    """A write the signature did not show (same tick, same size): the bytes read win, and the
    reader says so (the index then keeps no entry under the table's digest)."""
    monkeypatch.setattr(stat_digests, "RACY_NS", 0)
    path = tmp_path / "a.py"
    path.write_bytes(b"x = 2\n")
    table = StatDigests(None)
    table.known[str(path)] = (signature(os.stat(path)), content_digest(b"x = 1\n"))
    read = SourceReader(digests=table)
    read.note_stat(str(path), os.stat(path))
    assert read.digest_by_stat(str(path)) == content_digest(b"x = 1\n")
    assert not read.stale
    assert read(path) == b"x = 2\n"
    assert read.stale and read.digest(str(path), b"x = 2\n") == content_digest(b"x = 2\n")


def test_the_table_survives_the_cache_format(tmp_path, monkeypatch):
    monkeypatch.setattr(stat_digests, "RACY_NS", 0)
    store = ResultCache(tmp_path, "stat digests")
    table = StatDigests(store)
    for n in range(3):
        path = tmp_path / f"{n}.py"
        path.write_bytes(b"%d\n" % n)
        table.record(str(path), os.stat(path), content_digest(b"%d\n" % n))
    table.save()
    assert StatDigests(store).known == table.seen
    store.put("stat-digests-1", {"x": "not a table"})
    assert StatDigests(store).known == {}
