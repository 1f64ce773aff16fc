"""Which of many words a file contains, in few scans of its bytes.

Each `word in source` is a full scan of the file (about 20 ms over saleor's 26 MB): the index's
and the rules' 40-odd prefilter words would cost most of a second on every run. Words are grouped
under a shared anchor (`elery` for `celery`/`Celery`, `.task` for `.task(`/`.task\\n`/...): a file is
scanned once per anchor, and for a group's words only when it holds the anchor.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any, Iterable

MIN_ANCHOR = 4  # shorter anchors (`sch`, `.s`) occur in nearly every file: they would not save a scan


class WordScan:
    def __init__(self, words: Iterable[bytes]) -> None:
        self.words = frozenset(words)
        # anchors are looked for in the lowercased source: `celery` stands for `celery`, `Celery`
        # and `CELERY`, `queue` for `queue` and `QUEUES` (lowercasing costs about one scan)
        self.groups = _group(self.words)

    def found(self, source: bytes) -> Found:
        """The scanned words `source` contains."""
        folded = source.lower()
        hits: list[bytes] = []
        for anchor, words in self.groups:
            if anchor in folded:
                hits.extend(w for w in words if w in source)
        return Found(source, frozenset(hits), self.words)


class Found:
    """One file's scan result: answers for any word, scanning the source only for words the
    scan did not cover."""

    __slots__ = ("source", "words", "scanned")

    def __init__(self, source: bytes | None, words: frozenset[bytes], scanned: frozenset[bytes]) -> None:
        self.source = source
        self.words = words
        self.scanned = scanned

    def any(self, words: Iterable[bytes]) -> bool:
        for word in words:
            # a word the scan did not look for: in the source, or maybe (the source is not at hand)
            if word in self.words if word in self.scanned else self.source is None or word in self.source:
                return True
        return False


def _group(words: frozenset[bytes]) -> tuple[tuple[bytes, tuple[bytes, ...]], ...]:
    """Greedy: the lowercase substring (at least MIN_ANCHOR long, or a whole shorter word) that
    the most remaining words contain, ignoring case, longest first on a tie, until every word has
    its anchor."""
    remaining = set(words)
    groups = []
    while remaining:
        counts: Counter[bytes] = Counter()
        for word in remaining:
            counts.update(_anchors_of(word.lower()))
        anchor = max(counts, key=lambda a: (counts[a], len(a), a))
        covered = tuple(sorted(w for w in remaining if anchor in w.lower()))
        groups.append((anchor, covered))
        remaining.difference_update(covered)
    return tuple(groups)


def _anchors_of(word: bytes) -> set[bytes]:
    if len(word) <= MIN_ANCHOR:
        return {word}
    return {word[i : i + n] for n in range(MIN_ANCHOR, len(word) + 1) for i in range(len(word) - n + 1)}


class ScanCache:
    """Each file's words by content digest, kept between runs (one cache entry for the tree):
    a run on an unchanged tree scans nothing. `store` is a ResultCache."""

    def __init__(self, store: Any, scan: WordScan) -> None:
        self.store = store
        self.key = "scan-" + hashlib.blake2b(repr(sorted(scan.words)).encode(), digest_size=16).hexdigest()
        loaded = store.get(self.key)
        self.known: dict[bytes, frozenset[bytes]] = loaded if _is_scan_table(loaded) else {}
        self.used: dict[bytes, frozenset[bytes]] = {}
        self.missed = False

    def found(self, scan: WordScan, source: bytes, digest: bytes) -> Found:
        words = self.known.get(digest)
        if words is None:
            words = scan.found(source).words
        self.record(digest, words)
        return Found(source, words, scan.words)

    def record(self, digest: bytes, words: frozenset[bytes]) -> None:
        if digest not in self.known:
            self.missed = True
        self.used[digest] = words

    def save(self) -> None:
        """Keep the digests this run saw (old versions of files drop out). A run that saw under half of
        them (one file, pre-commit) keeps the others too: else the next whole run scans every file again."""
        if len(self.used) * 2 < len(self.known):
            if self.missed:
                self.store.put(self.key, {**self.known, **self.used})
        elif self.missed or len(self.used) != len(self.known):
            self.store.put(self.key, self.used)


def _is_scan_table(value: Any) -> bool:
    """A cached table of the right shape (digest bytes -> frozenset of word bytes)."""
    return isinstance(value, dict) and all(
        type(k) is bytes and type(v) is frozenset and all(type(w) is bytes for w in v) for k, v in value.items()
    )
