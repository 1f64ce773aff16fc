"""The editor paths the README documents: plain Fixit on one file agrees with celery-fix for the
rules that can work on one file, and `fixit lsp` serves those findings to an editor."""

from __future__ import annotations

import collections
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from celery_fix.engine.registry import all_rule_classes

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "examples" / "shop"
RULES = {rule_cls.CODE: rule_cls for rule_cls in all_rule_classes()}
BY_NAME = {rule_cls.__name__.removesuffix("Rule"): code for code, rule_cls in RULES.items()}
FIXIT_CONFIG = '[tool.fixit]\nroot = true\ndisable = ["fixit.rules"]\nenable = ["celery_fix.rules"]\n'


def celery_fix_findings(project: Path) -> collections.Counter:
    done = subprocess.run([sys.executable, "-m", "celery_fix", "--no-cache", "--format", "json", "--select", "ALL", "."],
                          cwd=project, capture_output=True, text=True, check=False)
    return collections.Counter(
        (f["code"], f["filename"], f["location"]["line"]) for f in json.loads(done.stdout)["findings"]
    )


def plain_fixit_findings(project: Path, files: list[Path] | None = None) -> collections.Counter:
    from fixit import Config, QualifiedRule, fixit_bytes
    from fixit.util import capture

    found: collections.Counter = collections.Counter()
    for path in files or sorted(project.rglob("*.py")):
        config = Config(path=path, root=project, enable=[QualifiedRule("celery_fix.rules")], disable=[])
        for result in capture(fixit_bytes(path, path.read_bytes(), config=config, autofix=False)):
            assert result.error is None, result.error
            if result.violation is not None:
                rule = BY_NAME[result.violation.rule_name.removesuffix("Rule")]
                found[(rule, path.relative_to(project).as_posix(), result.violation.range.start.line)] += 1
    return found


def test_plain_fixit_reports_a_subset_and_the_index_rules_say_so(tmp_path):
    project = tmp_path / "shop"
    shutil.copytree(SHOP, project, ignore=shutil.ignore_patterns(".celery-fix-cache", "__pycache__"))
    full, plain = celery_fix_findings(project), plain_fixit_findings(project)
    assert plain and full
    # without the index a rule sees less, never something else
    assert not plain - full, plain - full
    for code, rule_cls in RULES.items():
        ours = {k for k in full if k[0] == code}
        theirs = {k for k in plain if k[0] == code}
        if rule_cls.NEEDS_INDEX:
            assert not theirs, f"{code} is listed as needing the index yet fires in plain Fixit"
        elif ours != theirs:
            # a one-file rule that finds more with the index: its docs say what plain Fixit misses
            assert "plain Fixit" in (rule_cls.__doc__ or ""), f"{code}: plain Fixit finds {len(theirs)} of {len(ours)}"


def _lsp_message(stream) -> dict:
    length = None
    while (line := stream.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    assert length is not None, "the server closed the stream"
    return json.loads(stream.read(length))


def test_fixit_lsp_serves_the_findings_of_the_opened_file(tmp_path):
    pytest.importorskip("pygls")  # Fixit's `lsp` extra
    project = tmp_path / "shop"
    shutil.copytree(SHOP, project, ignore=shutil.ignore_patterns(".celery-fix-cache", "__pycache__"))
    (project / "pyproject.toml").write_text(FIXIT_CONFIG)  # the README's setup
    target = project / "orders" / "tasks.py"
    server = subprocess.Popen([sys.executable, "-m", "fixit", "lsp"], cwd=project,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def send(message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        server.stdin.flush()

    try:
        send({"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": project.as_uri(), "capabilities": {}}})
        while "id" not in _lsp_message(server.stdout):
            pass
        send({"method": "initialized", "params": {}})
        send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": target.as_uri(), "languageId": "python", "version": 1, "text": target.read_text()}}})
        while (message := _lsp_message(server.stdout)).get("method") != "textDocument/publishDiagnostics":
            pass
    finally:
        server.kill()
        server.wait()
    served = collections.Counter(
        (BY_NAME[d["code"].removesuffix("Rule")], d["range"]["start"]["line"] + 1) for d in message["params"]["diagnostics"]
    )
    expected = collections.Counter(
        (code, line) for (code, _name, line), n in plain_fixit_findings(project, [target]).items() for _ in range(n)
    )
    assert served and served == expected
