"""CEL801's fix checked against Celery beat itself (no worker, no Django for the plain schedulers).

Each fixed snapshot schedule is loaded into `celery.beat.Scheduler` / `PersistentScheduler`; every
entry is made due (its `last_run_at` backdated), `tick()` publishes it to the in-memory broker,
and the published message must carry an `expires` header N seconds ahead, where N is what the fix
wrote — while the unfixed schedule publishes `expires: None`. The django-celery-beat
`DatabaseScheduler` proof runs in a subprocess with its own Django settings and SQLite database
(so it depends on no conftest): the fixed entry's `expire_seconds` reaches the `PeriodicTask` row
and the message, and `options["expires"]` is shown to be dropped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

celery = pytest.importorskip("celery")
from celery import Celery  # noqa: E402
from celery.beat import PersistentScheduler, Scheduler  # noqa: E402
from celery.signals import after_task_publish  # noqa: E402

SNAPSHOTS = Path(__file__).resolve().parents[2] / "snapshots" / "CEL801-beat-entry-without-expires"
SETTINGS_CASES = ["one_line", "exploded", "existing_options", "crontab_periods"]
BACKDATE = timedelta(days=40)  # due for every schedule in the snapshots (the monthly one too)


def load_schedule(path: Path) -> dict:
    namespace: dict = {"__name__": "beat_snapshot"}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    return namespace["CELERY_BEAT_SCHEDULE"]


def make_app() -> Celery:
    app = Celery("beatproof", broker="memory://", set_as_current=False)
    app.conf.broker_connection_retry_on_startup = False
    app.conf.result_backend = None
    return app


@pytest.fixture
def published():
    messages: list[dict] = []

    def on_publish(sender=None, headers=None, **kwargs):
        messages.append({"task": sender, "headers": headers})

    after_task_publish.connect(on_publish, weak=False)
    yield messages
    after_task_publish.disconnect(on_publish)


def fire(app: Celery, scheduler_cls, name: str, entry: dict, tmp_path: Path) -> None:
    """Load a one-entry schedule into a real beat scheduler, make it due and tick once."""
    app.conf.beat_schedule = {name: entry}
    kwargs = {"schedule_filename": str(tmp_path / f"beat-{abs(hash(name))}")} if scheduler_cls is PersistentScheduler else {}
    scheduler = scheduler_cls(app=app, **kwargs)
    try:
        loaded = scheduler.schedule[name]
        assert loaded.options == entry.get("options", {})  # the options reach beat's ScheduleEntry
        loaded.last_run_at = loaded.default_now() - BACKDATE
        assert loaded.is_due().is_due
        scheduler.tick()
    finally:
        scheduler.close()


def seconds_ahead(message: dict) -> float | None:
    expires = message["headers"]["expires"]
    if expires is None:
        return None
    moment = datetime.fromisoformat(expires)
    now = datetime.now(moment.tzinfo or timezone.utc) if moment.tzinfo else datetime.now()
    return (moment - now).total_seconds()


def fixed_entries():
    for case in SETTINGS_CASES:
        fixed = SNAPSHOTS / f"{case}.fixed.py"
        for name, entry in load_schedule(fixed).items():
            if "expires" in entry.get("options", {}):
                yield pytest.param(case, name, id=f"{case}-{name}")


@pytest.mark.parametrize("scheduler_cls", [Scheduler, PersistentScheduler], ids=["Scheduler", "PersistentScheduler"])
@pytest.mark.parametrize("case, name", list(fixed_entries()))
def test_fixed_entry_publishes_expires(case, name, scheduler_cls, published, tmp_path):
    entry = load_schedule(SNAPSHOTS / f"{case}.fixed.py")[name]
    expires = entry["options"]["expires"]
    assert isinstance(expires, int) and expires > 0  # seconds, never a timedelta (Celery rejects one)
    app = make_app()
    fire(app, scheduler_cls, name, entry, tmp_path)
    assert [m["task"] for m in published] == [entry["task"]]
    ahead = seconds_ahead(published[0])
    assert ahead is not None and expires - 5 < ahead <= expires
    # never longer than the schedule's own period: the next run is due by then
    period = entry["schedule"]
    remaining = period if isinstance(period, (int, float)) else None
    if isinstance(period, timedelta):
        remaining = period.total_seconds()
    if remaining is not None:
        assert expires <= remaining


@pytest.mark.parametrize("case, name", list(fixed_entries()))
def test_unfixed_entry_publishes_no_expiry(case, name, published, tmp_path):
    """The same entries before the fix: beat sends them without an expiry (what CEL801 reports)."""
    entry = load_schedule(SNAPSHOTS / f"{case}.py")[name]
    fire(make_app(), Scheduler, name, entry, tmp_path)
    assert len(published) == 1 and published[0]["headers"]["expires"] is None


def test_add_periodic_task_expires_reaches_the_message(published, tmp_path):
    """`add_periodic_task(..., expires=N)` (the fix for that form) ends up in the entry's options."""
    source = (SNAPSHOTS / "add_periodic_task.fixed.py").read_text(encoding="utf-8")
    namespace: dict = {"__name__": "beat_periodic_snapshot"}
    exec(compile(source, "add_periodic_task.fixed.py", "exec"), namespace)
    app: Celery = namespace["app"]
    app.conf.broker_url = "memory://"
    schedule = app.conf.beat_schedule  # finalising the configuration runs on_after_configure
    assert schedule["ping every 10"]["options"] == {"expires": 10}
    assert schedule["exploded"]["options"] == {"expires": 60}
    scheduler = Scheduler(app=app)
    try:
        for name, entry in scheduler.schedule.items():
            entry.last_run_at = entry.default_now() - timedelta(days=1)
            if name != "ping every 10":
                entry.last_run_at = entry.default_now()  # not due now
        scheduler.tick()
    finally:
        scheduler.close()
    assert len(published) == 1
    ahead = seconds_ahead(published[0])
    assert ahead is not None and 5 < ahead <= 10


def test_timedelta_expires_is_rejected_by_celery():
    """Why the fix writes seconds: Celery raises TypeError on a timedelta `expires`."""
    app = make_app()
    with pytest.raises(TypeError):
        app.send_task("shop.tasks.heartbeat", expires=timedelta(seconds=30))


# -- django-celery-beat's DatabaseScheduler (in a subprocess: its own Django settings and DB) ------
DATABASE_SCRIPT = textwrap.dedent(
    r'''
    import json, sys, tempfile, os
    from datetime import datetime, timedelta

    import django
    from django.conf import settings

    directory = tempfile.mkdtemp(prefix="cfx-dcb-")
    settings.configure(
        SECRET_KEY="x", USE_TZ=True, TIME_ZONE="UTC", DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        INSTALLED_APPS=["django.contrib.contenttypes", "django_celery_beat"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(directory, "db.sqlite3")}},
    )
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)

    from celery import Celery
    from celery.signals import after_task_publish
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    namespace = {"__name__": "dcb_snapshot"}
    path = sys.argv[1]
    exec(compile(open(path, encoding="utf-8").read(), path, "exec"), namespace)
    schedule = namespace["CELERY_BEAT_SCHEDULE"]
    published = []
    after_task_publish.connect(lambda sender=None, headers=None, **kw: published.append(headers["expires"]), weak=False)
    results = {}
    for name in json.loads(sys.argv[2]):
        PeriodicTask.objects.all().delete()
        app = Celery("dcb", broker="memory://", set_as_current=False)
        app.conf.beat_schedule = {name: schedule[name]}
        scheduler = DatabaseScheduler(app=app)
        row = PeriodicTask.objects.get(name=name)
        entry = scheduler.schedule[name]
        entry.last_run_at = entry.default_now() - timedelta(days=3)
        published.clear()
        scheduler.apply_entry(entry, producer=scheduler.producer)
        ahead = None
        if published and published[0] is not None:
            moment = datetime.fromisoformat(published[0])
            ahead = (moment - datetime.now(moment.tzinfo)).total_seconds()
        results[name] = {"expire_seconds": row.expire_seconds, "expires": str(row.expires) if row.expires else None,
                         "published": len(published), "ahead": ahead}
    print(json.dumps(results))
    '''
)


def run_database_scheduler(path: Path, names: list[str]) -> dict:
    completed = subprocess.run(
        [sys.executable, "-c", DATABASE_SCRIPT, str(path), json.dumps(names)],
        capture_output=True, text=True, timeout=120,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_database_scheduler_keeps_expire_seconds_and_drops_expires():
    pytest.importorskip("django_celery_beat")
    fixed = run_database_scheduler(SNAPSHOTS / "database_scheduler.fixed.py", ["heartbeat", "nightly", "dropped"])
    # the fix's `expire_seconds` reaches the PeriodicTask row and the published message
    assert fixed["heartbeat"]["expire_seconds"] == 30
    assert 25 < fixed["heartbeat"]["ahead"] <= 30
    assert fixed["nightly"]["expire_seconds"] == 24 * 60 * 60
    assert fixed["dropped"]["expire_seconds"] == 60  # the renamed `expires`
    assert 55 < fixed["dropped"]["ahead"] <= 60
    # the trap: the same schedule with `expires` (what the fix would write without the scheduler
    # check, and what the unfixed "dropped" entry says) loses its expiry entirely
    before = run_database_scheduler(SNAPSHOTS / "database_scheduler.py", ["dropped"])
    assert before["dropped"] == {"expire_seconds": None, "expires": None, "published": 1, "ahead": None}
