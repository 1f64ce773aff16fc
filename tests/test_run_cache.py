"""The whole-run result entry (celery_fix/run_cache.py): a warm run on an unchanged tree gives what a
cold run gives, byte for byte, without the index or the clean files; any change is a miss; a stale
fix is never written."""

from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner

from celery_fix import run as run_module
from celery_fix import run_cache
from celery_fix.cli import main
from tests.cached_shop import SHOP, copy_shop, run_cli, trust_fresh_files


@pytest.fixture
def shop(tmp_path, monkeypatch):
    trust_fresh_files(tmp_path, monkeypatch)
    return copy_shop(tmp_path, monkeypatch)


def _normal_path(monkeypatch) -> list[int]:
    """Counts the runs with the cache on that build the index and run the rules (a miss)."""
    calls: list[int] = []
    real = run_module._index_and_check

    def counting(*args, **kwargs):
        if not args[3].no_cache:
            calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(run_module, "_index_and_check", counting)
    return calls


def _reads(monkeypatch) -> list[str]:
    read: list[str] = []
    real = run_cache.read_source

    def counting(path):
        read.append(str(path))
        return real(path)

    monkeypatch.setattr(run_cache, "read_source", counting)
    return read


@pytest.mark.parametrize("fmt", ["text", "json", "concise", "sarif"])
def test_a_warm_run_gives_the_cold_runs_output_without_the_index(shop, monkeypatch, fmt):
    cold = run_cli("--no-cache", "--format", fmt, ".")
    assert cold[0] == 1 and cold[1]
    normal = _normal_path(monkeypatch)
    first = run_cli("--format", fmt, ".")
    reads = _reads(monkeypatch)
    warm = run_cli("--format", fmt, ".")
    assert first == cold and warm == cold
    assert len(normal) == 1  # the warm run took the entry
    # only the files whose findings or fixes the output shows were read, each once
    with_findings = {line.split(":")[0] for line in run_cli("--no-cache", "--format", "concise", ".")[1].splitlines() if ".py:" in line}
    assert set(reads) == with_findings and len(reads) == len(with_findings)


@pytest.mark.parametrize("args", [["--show-source"], ["--statistics"], ["--show-fixes"], ["--format", "github"]])
def test_other_output_options_are_the_same_warm(shop, monkeypatch, args):
    cold = run_cli("--no-cache", *args, ".")
    run_cli(*args, ".")
    normal = _normal_path(monkeypatch)
    assert run_cli(*args, ".") == cold
    assert not normal


def test_a_touched_file_is_a_miss(shop, monkeypatch):
    run_cli(".")
    views = shop / "orders" / "views.py"
    views.write_text(views.read_text() + "\n\nfrom orders.tasks import send_receipt\n\ndef again(order):\n    send_receipt.delay(order)\n    send_receipt.delay(order).get()\n")
    normal = _normal_path(monkeypatch)
    warm = run_cli(".")
    assert len(normal) == 1
    assert warm == run_cli("--no-cache", ".")


def test_an_added_or_removed_file_is_a_miss(shop, monkeypatch):
    run_cli(".")
    normal = _normal_path(monkeypatch)
    (shop / "orders" / "extra.py").write_text("x = 1\n")
    assert run_cli(".") == run_cli("--no-cache", ".")
    (shop / "orders" / "extra.py").unlink()
    assert run_cli(".") == run_cli("--no-cache", ".")
    assert len(normal) == 1  # the tree is as the first run saw it again: its entry stands


@pytest.mark.parametrize("change", [["--select", "CEL7"], ["--ignore", "CEL401"], ["--unsafe-fixes"]])
def test_another_option_is_a_miss(shop, monkeypatch, change):
    run_cli(".")
    normal = _normal_path(monkeypatch)
    assert run_cli(*change, ".") == run_cli("--no-cache", *change, ".")
    assert len(normal) == 1


def test_a_configuration_change_is_a_miss(shop, monkeypatch):
    run_cli(".")
    normal = _normal_path(monkeypatch)
    (shop / "pyproject.toml").write_text('[tool.celery-fix]\nignore = ["CEL401"]\n')
    assert run_cli(".") == run_cli("--no-cache", ".")
    (shop / "pyproject.toml").write_text('[tool.ruff]\nline-length = 60\n')
    assert run_cli(".") == run_cli("--no-cache", ".")
    assert len(normal) == 2


def test_a_subset_and_the_whole_tree_keep_their_own_entries(shop, monkeypatch):
    whole, one = run_cli("--no-cache", "."), run_cli("--no-cache", "orders/services.py")
    assert run_cli("orders/services.py") == one
    assert run_cli(".") == whole
    normal = _normal_path(monkeypatch)
    assert run_cli("orders/services.py") == one and run_cli(".") == whole
    assert not normal


def test_bytes_that_differ_from_the_entrys_are_never_fixed_from_it(shop, monkeypatch):
    """A file whose signature stayed (a same-size write in one clock tick) but whose bytes changed:
    the entry's fix is for the old bytes, so the run takes the normal path."""
    keys: list = []
    real_key = run_cache.run_key

    def same_key(*args):
        key = real_key(*args)
        keys.append(key)
        return keys[0] if key is not None else None

    monkeypatch.setattr(run_cache, "run_key", same_key)
    run_cli(".")
    services = shop / "orders" / "services.py"
    changed = services.read_text().replace("def ", "def  ", 1)  # still a fix to make, at other offsets
    services.write_text(changed)
    normal = _normal_path(monkeypatch)
    run_cli("--apply", ".")
    assert len(normal) == 1
    expected_dir = shop.parent / "expected"
    shutil.copytree(SHOP, expected_dir, ignore=shutil.ignore_patterns(".celery-fix-cache"))
    (expected_dir / "orders" / "services.py").write_text(changed)
    monkeypatch.chdir(expected_dir)
    run_cli("--no-cache", "--apply", ".")
    assert services.read_bytes() == (expected_dir / "orders" / "services.py").read_bytes()


def test_apply_from_a_hit_writes_what_a_cold_apply_writes(shop, monkeypatch):
    run_cli(".")
    normal = _normal_path(monkeypatch)
    applied = run_cli("--apply", ".")
    assert not normal
    written = {p: p.read_bytes() for p in shop.rglob("*.py")}
    expected_dir = shop.parent / "expected"
    shutil.copytree(SHOP, expected_dir, ignore=shutil.ignore_patterns(".celery-fix-cache"))
    monkeypatch.chdir(expected_dir)
    assert run_cli("--no-cache", "--apply", ".") == applied
    assert {p.relative_to(shop): b for p, b in written.items()} == {
        p.relative_to(expected_dir): p.read_bytes() for p in expected_dir.rglob("*.py")
    }


def test_a_malformed_entry_is_a_miss(shop, monkeypatch):
    cold = run_cli("--no-cache", ".")
    run_cli(".")
    entries = [p for p in (shop.parent / "cache").rglob("run-*")]
    assert len(entries) == 1
    normal = _normal_path(monkeypatch)
    for garbage in (b"not json", b'{"d": []}', entries[0].read_bytes().replace(b'"count"', b'"cnt"')):
        entries[0].write_bytes(garbage)
        assert run_cli(".") == cold
    assert len(normal) == 3


def test_a_racy_tree_keeps_no_entry(shop, monkeypatch):
    monkeypatch.setattr(run_cache, "RACY_NS", 10**18)
    run_cli(".")
    assert not list((shop.parent / "cache").rglob("run-*"))


def test_standard_input_and_no_cache_keep_no_entry(shop):
    source = (shop / "orders" / "services.py").read_bytes()
    CliRunner(mix_stderr=False).invoke(main, ["--stdin-filename", "orders/services.py", "-"], input=source)
    run_cli("--no-cache", ".")
    assert not list((shop.parent / "cache").rglob("run-*"))


def test_the_review_format_needs_the_index(shop, monkeypatch):
    cold = run_cli("--no-cache", "--format", "review", ".")
    run_cli("--format", "review", ".")
    normal = _normal_path(monkeypatch)
    assert run_cli("--format", "review", ".") == cold
    assert len(normal) == 1


def test_a_whole_run_sees_a_new_file_in_a_kept_walk(shop, monkeypatch):
    """The walk's list is kept (project_files.py) for a run on a directory: a file added since is checked."""
    past = os.stat(shop).st_mtime - 60
    for path in [shop, *shop.rglob("*")]:
        os.utime(path, (past, past))
    run_cli(".")
    (shop / "orders" / "late.py").write_text("from orders.tasks import send_receipt\n\ndef f(o):\n    send_receipt.delay(o).get()\n")
    assert run_cli(".") == run_cli("--no-cache", ".")
    assert f"{len(list(shop.rglob('*.py')))} files checked" in run_cli(".")[1]


def test_fix_titles_come_from_the_catalogue_without_importing_a_rule(monkeypatch):
    """A warm json/sarif run prints the fixes' titles: the catalogue has them, so it imports no rule (libcst)."""
    from celery_fix.engine.catalogue import RULES
    from celery_fix.engine.rule_info import RuleInfo
    from celery_fix.output import fix_titles

    expected = {info.CODE: info.load().FIX_TITLE for info in RULES if getattr(info.load(), "FIX_TITLE", None)}
    assert expected and fix_titles(RULES) == expected

    def refuse(self):
        raise AssertionError(f"{self.CODE} imported")

    monkeypatch.setattr(RuleInfo, "load", refuse)
    assert fix_titles(RULES) == expected


def test_add_noqa_from_a_hit_writes_what_a_cold_run_writes(shop, monkeypatch):
    run_cli(".")
    normal = _normal_path(monkeypatch)
    added = run_cli("--add-noqa", ".")
    assert not normal
    expected_dir = shop.parent / "expected"
    shutil.copytree(SHOP, expected_dir, ignore=shutil.ignore_patterns(".celery-fix-cache"))
    monkeypatch.chdir(expected_dir)
    assert run_cli("--no-cache", "--add-noqa", ".") == added
    assert {p.relative_to(shop): p.read_bytes() for p in shop.rglob("*.py")} == {
        p.relative_to(expected_dir): p.read_bytes() for p in expected_dir.rglob("*.py")
    }


def test_changed_since_keeps_its_own_entry(shop, monkeypatch):
    import subprocess

    def git(*args):
        subprocess.run(["git", *args], cwd=shop, check=True, capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "first")
    services = shop / "orders" / "services.py"
    services.write_text(services.read_text() + "\n# changed\n")
    cold = run_cli("--no-cache", "--changed-since", "HEAD", ".")
    assert "1 file checked" in cold[1]
    assert run_cli("--changed-since", "HEAD", ".") == cold
    normal = _normal_path(monkeypatch)
    assert run_cli("--changed-since", "HEAD", ".") == cold
    assert run_cli(".") == run_cli("--no-cache", ".")
    assert len(normal) == 1  # the whole run is not the subset's entry
