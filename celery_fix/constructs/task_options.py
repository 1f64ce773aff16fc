"""The task options and `apply_async` options Celery knows (celery 5.6/5.7, read from
`celery.app.task.Task`, `Celery._task_from_fun`, `Task.apply_async` and `Celery.send_task`).
tests/test_task_design_rules.py checks the lists against the installed Celery."""

from __future__ import annotations

import difflib
from typing import Iterable, Optional

# every public attribute of celery.app.task.Task (a decorator keyword becomes a class attribute
# of the task class Celery builds, so all of them, methods included, are meaningful)
TASK_ATTRIBUTES = frozenset({
    "AsyncResult", "MaxRetriesExceededError", "OperationalError", "Request", "Strategy", "abstract", "acks_late",
    "acks_on_failure_or_timeout", "add_around", "add_to_chord", "add_trail", "after_return", "annotate", "app",
    "apply", "apply_async", "backend", "before_start", "bind", "chunks", "default_retry_delay", "delay", "expires",
    "from_config", "ignore_result", "map", "max_retries", "name", "on_bound", "on_failure", "on_replace",
    "on_retry", "on_success", "pop_request", "priority", "push_request", "rate_limit", "reject_on_worker_lost",
    "replace", "request", "request_stack", "resultrepr_maxsize", "retry", "run", "s", "send_event", "send_events",
    "serializer", "shadow_name", "si", "signature", "signature_from_request", "soft_time_limit", "starmap",
    "start_strategy", "store_errors_even_if_ignored", "subtask", "subtask_from_request", "throws", "time_limit",
    "track_started", "trail", "typing", "update_state",
})
# keywords the decorator itself reads (Celery.task/_task_from_fun, add_autoretry_behaviour) and
# the execution options a task class may carry (celery/app/task.py extract_exec_options)
DECORATOR_KEYWORDS = frozenset({
    "name", "base", "bind", "shared", "lazy", "filter", "pydantic", "pydantic_strict", "pydantic_context",
    "pydantic_dump_kwargs", "autoretry_for", "dont_autoretry_for", "retry_kwargs", "retry_backoff",
    "retry_backoff_max", "retry_jitter", "queue", "routing_key", "exchange", "delivery_mode", "compression",
    "immediate", "mandatory", "acks_on_failure", "acks_on_timeout", "retry_on_worker_lost",
})
KNOWN_TASK_OPTIONS = TASK_ATTRIBUTES | DECORATOR_KEYWORDS
APPLY_ASYNC_OPTIONS = frozenset({
    "args", "kwargs", "task_id", "producer", "link", "link_error", "shadow", "countdown", "eta", "expires",
    "retry", "retry_policy", "queue", "exchange", "routing_key", "priority", "serializer", "compression",
    "headers", "ignore_result", "time_limit", "soft_time_limit", "connection", "router", "result_cls",
    "publisher", "add_to_parent", "group_id", "group_index", "retries", "chord", "reply_to", "root_id",
    "parent_id", "route_name", "chain", "task_type", "replaced_task_nesting", "delivery_mode", "mandatory",
    "immediate", "declare", "exchange_type", "stamped_headers", "expiration", "content_type",
    "content_encoding", "correlation_id", "user_id", "app_id", "timestamp", "message_id", "application_headers",
})
# options that well-known extensions read from the task (celery-once, celery-singleton, django
# extensions): not flagged unless the rule's option says otherwise
DEFAULT_EXTRA_OPTIONS = ("once", "lock_expiry", "unique_on", "raise_on_duplicate", "graceful", "timeout")


def close_match(word: str, known: Iterable[str]) -> Optional[str]:
    """The one known option `word` is most likely a typo of; None when none or several are close."""
    matches = difflib.get_close_matches(word, sorted(known), n=2, cutoff=0.8)
    return matches[0] if len(matches) == 1 else None
