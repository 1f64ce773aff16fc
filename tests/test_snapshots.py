"""Every transform's snapshot cases: expected findings and output, output parses, fixes converge.

Regenerate for review with `CELERY_FIX_UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py`.
"""

from __future__ import annotations

import libcst as cst
import pytest

from snapshot_harness import UPDATE, all_cases, findings_text, run

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_snapshot(case):
    result = run(case)
    assert result.error is None, result.error
    if not result.parsed:  # skipping is only right where the rule has nothing to say
        assert not case.fixed_path.exists() and not case.findings_path.read_text(encoding="utf-8"), (
            "the prefilter skipped a snapshot case with findings: the rule's TRIGGERS/relevant() miss it"
        )
    found = findings_text(result)
    if UPDATE:
        case.findings_path.write_text(found, encoding="utf-8")
        if result.fixed is not None:
            case.fixed_path.write_bytes(result.fixed)
        elif case.fixed_path.exists():
            case.fixed_path.unlink()
    assert found == case.findings_path.read_text(encoding="utf-8")
    if case.fixed_path.exists():
        assert result.fixed == case.fixed_path.read_bytes()
    else:
        assert result.fixed is None, "the fix changed a file whose snapshot says nothing must change"


@pytest.mark.parametrize("case", [c for c in CASES if c.fixed_path.exists()], ids=lambda c: c.id)
def test_fixed_output_parses_and_is_stable(case):
    fixed = case.fixed_path.read_bytes()
    cst.parse_module(fixed)
    compile(fixed, str(case.fixed_path), "exec")
    again = run(case, source=fixed)
    assert again.fixed is None, "running the fix on its own output changed it again"
    assert not [f for f in again.findings if f.fix], "a fixable finding is left after fixing"


def test_each_rule_dir_has_enough_cases():
    from collections import Counter

    counts = Counter(c.code for c in CASES)
    assert counts, "no snapshot cases found"
    for code, count in counts.items():
        assert count >= 3, f"{code} has only {count} snapshot cases"
    assert counts["CEL202"] >= 8


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_prefilter_loses_nothing(case):
    with_filter, without = run(case, prefilter=True), run(case, prefilter=False)
    assert findings_text(with_filter) == findings_text(without)
    assert with_filter.fixed == without.fixed
