"""syntax/file_memo.py: per-file memos (what five rules ask of one task body is worked out once)."""

from __future__ import annotations

from celery_fix.syntax.file_memo import file_memo, forget_file, remembered


def test_worked_out_once_per_subject_and_detail_and_again_for_another_owner():
    memo, calls = file_memo(), []

    def work(value):
        calls.append(value)
        return value

    owner, node, other = object(), object(), object()
    assert remembered(memo, owner, node, 1, lambda: work("a")) == "a"
    assert remembered(memo, owner, node, 1, lambda: work("b")) == "a"  # remembered
    assert remembered(memo, owner, node, 2, lambda: work("c")) == "c"  # another detail
    assert remembered(memo, owner, other, 1, lambda: work("d")) == "d"  # another subject
    assert remembered(memo, object(), node, 1, lambda: work("e")) == "e"  # another file's name table
    assert calls == ["a", "c", "d", "e"]


def test_the_engine_empties_every_memo_after_a_file():
    memo, owner, node = file_memo(), object(), object()
    remembered(memo, owner, node, None, lambda: 1)
    forget_file()
    assert not memo
    assert remembered(memo, owner, node, None, lambda: 2) == 2
