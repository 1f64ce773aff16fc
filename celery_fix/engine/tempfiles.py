"""The temp files this process is writing right now, so that a process stopped by a signal can
remove them before it leaves (a stopped worker exits at once, without unwinding)."""

from __future__ import annotations

import os

live: set[str] = set()


def create(directory, prefix: str, suffix: str = "") -> tuple[int, str]:
    """A new temp file in `directory` (like tempfile.mkstemp), registered before it exists, so that
    no signal can fall between its creation and its registration."""
    for _ in range(100):
        # what secrets.token_hex(6) does, without importing secrets (hmac, base64...) at start-up
        name = os.path.join(directory, f"{prefix}{os.urandom(6).hex()}{suffix}")
        live.add(name)
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), name
        except FileExistsError:
            live.discard(name)
        except BaseException:
            live.discard(name)
            raise
    raise FileExistsError(f"{directory}: no free temp file name")


def remove_live() -> None:
    for name in list(live):
        try:
            os.unlink(name)
        except OSError:
            pass
        live.discard(name)
