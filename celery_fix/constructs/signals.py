"""Django's model signals (whose receivers run inside the caller's transaction) and `@receiver`."""

from __future__ import annotations

MODEL_SIGNALS = {
    f"django.db.models.signals.{name}": name
    for name in ("pre_save", "post_save", "pre_delete", "post_delete", "m2m_changed")
}
RECEIVER = frozenset({"django.dispatch.receiver", "django.dispatch.dispatcher.receiver"})
