"""The ProjectIndex on the multi-file fixture projects under tests/fixtures, and its task names
checked against real Celery (imported in a subprocess with the fixture's own sys.path)."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from celery_fix.config import Config
from celery_fix.discover import discover
from celery_fix.index.values import UNKNOWN, Call, Ref, schedule_info
from celery_fix.constructs.names import build_name_table
from celery_fix.index.build import ATOMIC_WORDS, PREFILTER_WORDS, ProjectIndex, build_index, mentions_celery

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "shop"


def index_of(root: Path, **kwargs) -> ProjectIndex:
    files = discover([root], Config(root=root)).files
    return build_index(files, root, **kwargs)


@pytest.fixture(scope="module")
def django_index() -> ProjectIndex:
    return index_of(FIXTURES / "django_proj")


def names(index: ProjectIndex) -> set[str]:
    return {t.name for t in index.tasks}


def sites(index: ProjectIndex, **match):
    return [d for d in index.dispatches if all(getattr(d, k) == v for k, v in match.items())]


# -- tasks ----------------------------------------------------------------------------------------
def test_django_task_names(django_index):
    assert names(django_index) == {
        "billing.tasks.send_reminders", "billing.tasks.sync_ledger", "billing.charge", "billing.tasks.notify",
        "billing.tasks.rebuild_report", "billing.tasks.cleanup", "billing.monthly_invoices", "billing.tasks.opaque",
    }


def test_django_task_options(django_index):
    by = django_index.task_by_qualname
    charge = by("billing.tasks.charge")  # @celery_app.task(name=..., **RETRY_OPTIONS from a skipped module)
    assert charge.options == {
        "name": "billing.charge", "autoretry_for": (Ref("ConnectionError"),), "retry_backoff": True, "max_retries": 5,
    }
    assert not charge.options_unknown and charge.name_explicit and charge.app == "proj.celery.app"
    assert charge.line == 21 and charge.def_line == 22 and charge.kind == "function"
    notify = by("billing.tasks.notify")  # a preset: shared_task_with_retry = shared_task(...)
    assert notify.options == {"acks_late": True, "autoretry_for": (Ref("ConnectionError"),), "retry_backoff": True}
    assert by("billing.tasks.rebuild_report").options == {"time_limit": 30, "queue": "slow"}  # decorator factory
    sync = by("billing.tasks.sync_ledger")
    assert sync.bind and sync.options["ignore_result"] is True and not sync.returns_value
    assert by("billing.tasks.send_reminders").returns_value
    assert by("billing.tasks.opaque").options_unknown  # **get_options()
    cleanup = by("billing.tasks.cleanup")  # @app.task over @allow_writer()
    assert cleanup.other_decorators == ("billing.decorators.allow_writer",)
    monthly = by("billing.tasks.monthly_invoices")
    assert monthly.other_decorators == ("django.db.transaction.atomic",)
    assert django_index.task_by_name("billing.charge") is charge


def test_apps_include_reexports(django_index):
    assert {"proj.celery.app", "proj.celery_app"} <= django_index.apps
    assert django_index.app_infos["proj.celery.app"].main == "proj"


def test_class_based_tasks_and_custom_base():
    index = index_of(FIXTURES / "class_proj")
    assert names(index) == {"shop.tasks.ping", "shop.tasks.crunch", "shop.export", "shop.tasks.Import"}
    ping = index.task_by_qualname("shop.tasks.ping")
    assert ping.base == "shop.base.BaseTask"
    assert ping.options["ignore_result"] is True and ping.options["max_retries"] == 7
    assert ping.options["autoretry_for"] == (Ref("ConnectionError"),) and not ping.options_unknown
    crunch = index.task_by_qualname("shop.tasks.crunch")  # SlowTask(BaseTask) overrides; kwargs win
    assert crunch.options["ignore_result"] is False and crunch.options["time_limit"] == 600
    assert crunch.options["max_retries"] == 1 and crunch.options["retry_backoff"] is True
    export = index.task_by_name("shop.export")
    assert export.kind == "class" and export.line == 15 and export.returns_value and export.options["acks_late"] is True
    imported = index.task_by_name("shop.tasks.Import")
    assert imported.kind == "class" and imported.options["time_limit"] == 600 and not imported.returns_value


def test_src_layout_names_and_conf_settings():
    index = index_of(FIXTURES / "src_proj")
    assert names(index) == {"acme.jobs.tasks.ping", "acme.custom"}
    assert index.setting("task_time_limit") == 120 and index.setting("task_soft_time_limit") == 100
    assert index.setting("task_routes") == {"acme.jobs.*": {"queue": "jobs"}}
    assert index.setting("broker_url") == "memory://" and index.setting("result_backend") == "cache+memory://"
    (entry,) = index.beat_entries
    assert (entry.name, entry.task, entry.schedule_kind, entry.period_seconds) == ("ping", "acme.jobs.tasks.ping", "timedelta", 30.0)
    assert entry.source == "app.conf.beat_schedule" and entry.line == 7
    ping = index.task_by_name("acme.jobs.tasks.ping")
    assert index.is_consumed(ping)  # ping.delay().get(timeout=1)


def test_plain_celery_project_with_celeryconfig():
    index = index_of(FIXTURES / "plain_proj")
    assert names(index) == {"jobs.tasks.resize", "jobs.tasks.resize_all"}
    assert index.apps >= {"worker.celery"}
    assert index.setting("task_routes") == {"jobs.tasks.resize": {"queue": "images"}}
    assert index.setting("task_ignore_result") is True and index.setting("task_soft_time_limit") == 60
    assert index.setting("task_acks_late") is True and index.setting("result_expires") == 3600
    assert index.setting("task_create_missing_queues") is False
    assert index.settings["task_routes"].path.endswith("celeryconfig.py") and index.settings["task_routes"].line == 3
    (entry,) = index.beat_entries
    assert (entry.name, entry.task, entry.schedule_kind, entry.period_seconds) == ("resize_all", "jobs.tasks.resize_all", "number", 3600.0)
    (site,) = index.dispatches
    assert (site.task, site.function, site.value_used) == ("jobs.tasks.resize", "jobs.tasks.resize_all", False)


# -- dispatches, consumers, atomic ------------------------------------------------------------------
def test_dispatch_resolution(django_index):
    (pay,) = sites(django_index, function="billing.services.pay")
    assert (pay.method, pay.task, pay.value_used, pay.args, pay.line) == ("delay", "billing.tasks.charge", False, ("invoice_id",), 12)
    checkout = sites(django_index, function="billing.services.checkout")
    wrapped = [d for d in checkout if d.method == "apply_async"][0]  # tasks.notify via module attribute
    assert wrapped.task == "billing.tasks.notify" and wrapped.inside_atomic  # inside the traced_atomic() wrapper
    assert wrapped.args == ("(invoice_id,)", "countdown=5")
    deferred = [d for d in checkout if d.method == "delay"][0]
    assert deferred.deferred and not deferred.inside_atomic and not deferred.value_used
    send_task = sites(django_index, method="send_task")
    assert {(d.task, d.task_name) for d in send_task} == {
        ("billing.tasks.send_reminders", "billing.tasks.send_reminders"), ("billing.tasks.charge", "billing.charge"),
    }
    (in_task,) = sites(django_index, function="billing.tasks.monthly_invoices")
    assert in_task.inside_atomic  # @transaction.atomic under @app.task
    canvas = {(d.method, d.task) for d in sites(django_index, function="billing.services.pipelines")}
    assert ("chord", "billing.tasks.send_reminders") in canvas and ("chain", "billing.tasks.cleanup") in canvas
    assert ("group", "billing.tasks.notify") in canvas and ("chain", "billing.tasks.sync_ledger") in canvas


def test_consumers(django_index):
    consumed = {t.qualname for t in django_index.tasks if django_index.is_consumed(t)}
    # charge: result.get() (through an assignment) and link=; send_reminders: chord header;
    # cleanup: a chain link that takes its result
    assert consumed == {"billing.tasks.charge", "billing.tasks.send_reminders", "billing.tasks.cleanup"}
    kinds = {(c.kind, c.task) for c in django_index.consumers}
    assert ("get", "billing.tasks.charge") in kinds and ("link", "billing.tasks.charge") in kinds
    assert ("id", "billing.tasks.charge") in kinds  # send_task(...).id, by name
    assert ("chord_header", "billing.tasks.send_reminders") in kinds and ("chain_link", "billing.tasks.cleanup") in kinds
    assert not django_index.async_result_anywhere


def test_atomic_wrappers_and_call_graph(django_index):
    assert django_index.atomic_wrappers == {"billing.db.traced_atomic", "billing.db.atomic_default"}
    assert "billing.services.pay" in django_index.calls["billing.services.checkout"]
    atomic_callees = {(caller, callee) for caller, callee, _, _ in django_index.atomic_call_sites}
    assert ("billing.services.checkout", "billing.services.pay") in atomic_callees
    assert ("billing.services.with_helper", "billing.services.pay") in atomic_callees
    # a parameter called `transaction` is not django.db.transaction; the wrapper call itself is outside
    assert ("billing.services.not_django", "billing.services.pay") not in atomic_callees
    assert ("billing.services.checkout", "billing.db.traced_atomic") not in atomic_callees
    line = [s for s in django_index.atomic_call_sites if s[0] == "billing.services.checkout"][0][3]
    assert line == 17
    assert "billing.services.pay" in django_index.dispatching_functions()


def test_atomic_only_file_is_read_when_it_calls_a_dispatcher(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "tasks.py").write_text(
        "from celery import shared_task\n\n@shared_task\ndef t():\n    pass\n\ndef kick():\n    t.delay()\n"
    )
    (tmp_path / "app" / "views.py").write_text(
        "from django.db import transaction\nfrom .tasks import kick\n\ndef view():\n    with transaction.atomic():\n        kick()\n"
    )
    (tmp_path / "app" / "other.py").write_text("from django.db import transaction\n\ndef f():\n    with transaction.atomic():\n        pass\n")
    index = index_of(tmp_path)
    assert [(a, b) for a, b, _, _ in index.atomic_call_sites] == [("app.views.view", "app.tasks.kick")]
    # views.py (atomic only) is read in the second round; other.py (atomic, calls no dispatcher) is not
    assert (index.stats.parsed, index.stats.skipped) == (2, 2)


def test_second_round_reads_method_calls_only_through_the_class(tmp_path):
    """A method that dispatches is linked only when called as `Class.method(...)`: an atomic-only
    file that calls `.save(` on something else is not read; one naming the class (or importing
    a function under another name) is."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "tasks.py").write_text(
        "from celery import shared_task\n\n@shared_task\ndef t():\n    pass\n\n"
        "class Form:\n    def save(self):\n        t.delay()\n\ndef kick():\n    t.delay()\n"
    )
    atomic = "from django.db import transaction\n"
    (tmp_path / "app" / "other.py").write_text(atomic + "def f(form):\n    with transaction.atomic():\n        form.save()\n")
    (tmp_path / "app" / "views.py").write_text(
        atomic + "from .tasks import Form\n\ndef v():\n    with transaction.atomic():\n        Form.save(None)\n"
    )
    (tmp_path / "app" / "aliased.py").write_text(
        atomic + "from .tasks import kick as go\n\ndef a():\n    with transaction.atomic():\n        go()\n"
    )
    index = index_of(tmp_path)
    assert sorted((a, b) for a, b, _, _ in index.atomic_call_sites) == [
        ("app.aliased.a", "app.tasks.kick"), ("app.views.v", "app.tasks.Form.save"),
    ]
    assert (index.stats.parsed, index.stats.skipped) == (3, 2)  # other.py (and the empty __init__.py) not read


def test_atomic_functions_option():
    index = index_of(FIXTURES / "django_proj", atomic_functions=("pay",))
    assert "billing.services.pay" in index.atomic_wrappers


# -- settings and beat ---------------------------------------------------------------------------
def test_django_settings_with_namespace(django_index):
    s = django_index.settings
    assert s["task_routes"].value == {"billing.tasks.*": {"queue": "billing"}, "billing.charge": "payments"}
    assert s["task_routes"].source == "CELERY_TASK_ROUTES" and s["task_routes"].line == 14
    assert django_index.setting("task_time_limit") == 300 and django_index.setting("task_acks_late") is True
    assert django_index.setting("result_expires") == Call("timedelta", (), (("hours", 6),))
    assert django_index.setting("task_ignore_result") == UNKNOWN and not s["task_ignore_result"].known
    assert django_index.setting("result_backend") == "cache+memory://"
    assert django_index.atomic_requests is True
    assert set(django_index.settings["beat_schedule"].value) == {"send-reminders", "monthly-invoices", "sync-ledger"}


def test_beat_entries_every_form(django_index):
    entries = {e.name: e for e in django_index.beat_entries}
    assert set(entries) == {"send-reminders", "monthly-invoices", "sync-ledger", "nightly-cleanup"}
    reminders = entries["send-reminders"]
    assert (reminders.task, reminders.schedule_kind, reminders.period_seconds, reminders.has_expires, reminders.line) == (
        "billing.tasks.send_reminders", "timedelta", 900.0, True, 21)
    monthly = entries["monthly-invoices"]
    assert (monthly.schedule_kind, monthly.period_seconds, monthly.has_expires) == ("crontab", None, False)
    ledger = entries["sync-ledger"]  # CELERY_BEAT_SCHEDULE["sync-ledger"] = {...}
    assert (ledger.schedule_kind, ledger.period_seconds, ledger.args, ledger.line) == ("number", 300.0, (1,), 31)
    nightly = entries["nightly-cleanup"]  # add_periodic_task in an on_after_configure handler
    assert (nightly.task, nightly.schedule_kind, nightly.period_seconds, nightly.has_expires, nightly.source) == (
        "billing.tasks.cleanup", "crontab", 86400.0, True, "add_periodic_task")


def test_example_shop_index():
    index = index_of(EXAMPLE)
    assert len(index.tasks) == 21 and index.atomic_requests is True
    assert index.task_by_name("orders.charge_customer").options["ignore_result"] is True
    assert index.task_by_qualname("orders.tasks.refund_payment").options["autoretry_for"] == (Ref("Exception"),)
    assert {e.task for e in index.beat_entries} >= {"orders.tasks.send_daily_sales_report", "orders.cancel_unpaid_orders"}
    assert index.is_consumed(index.task_by_qualname("orders.tasks.create_shipping_label"))
    assert not index.is_consumed(index.task_by_qualname("orders.tasks.generate_invoice"))
    atomic = {(d.function, d.task) for d in index.dispatches if d.inside_atomic}
    assert atomic == {
        ("orders.services.cancel_order", "orders.tasks.refund_payment"),
        ("orders.services.mark_shipped", "orders.tasks.record_shipment"),
        ("orders.services.confirm_payment", "orders.tasks.generate_invoice"),
    }
    assert ("orders.views.checkout", "orders.services.reserve_stock") in {(a, b) for a, b, _, _ in index.atomic_call_sites}
    assert index.settings["result_backend"].module == "shop.settings"  # the DJANGO_SETTINGS_MODULE wins
    assert len(index.all_settings["result_backend"]) == 2
    assert index.stats.files == 13 and index.stats.skipped == 4


def test_index_is_plain_data(django_index):
    copy = pickle.loads(pickle.dumps(django_index))
    assert names(copy) == names(django_index)
    assert copy.task_by_name("billing.charge").options == django_index.task_by_name("billing.charge").options


def test_unparsable_file_is_reported(tmp_path):
    (tmp_path / "tasks.py").write_text("from celery import shared_task\n@shared_task\ndef f(:\n")
    (tmp_path / "ok.py").write_text("from celery import shared_task\n@shared_task\ndef g():\n    pass\n")
    index = index_of(tmp_path)
    assert [t.name for t in index.tasks] == ["ok.g"]
    assert not index.errors
    [(path, message)] = index.warnings.items()  # keyed by the file, as the run names it
    assert path == str(tmp_path / "tasks.py")
    assert message.startswith(f"{path}: not indexed") and "invalid syntax at line 3" in message


def test_prefilter_words():
    assert b"celery" in PREFILTER_WORDS
    assert mentions_celery(b"from celery import shared_task")
    assert not mentions_celery(b"with transaction.atomic():\n    save()\n")  # second round only
    assert mentions_celery(b"with transaction.atomic():", ATOMIC_WORDS)
    assert not mentions_celery(b"from .tasks import helper\nretry_delay = 3\n")
    # a test module that only mocks a dispatch holds none
    assert not mentions_celery(b'@patch("shop.tasks.send.delay")\ndef test(m):\n    m.delay.assert_called_once()\n')
    assert not mentions_celery(b"def test(mocked_apply_async):\n    assert mocked_apply_async.called\n")
    assert mentions_celery(b"send.delay(1)") and mentions_celery(b"send.apply_async ((1,))")
    assert mentions_celery(b"on_commit(partial(send.delay, 1))") and mentions_celery(b"def apply_async(self):")
    # a mock wrapping the real method sends nothing itself
    assert not mentions_celery(b'@patch.object(send, "delay", wraps=send.delay)\ndef test(m): ...\n')
    assert not mentions_celery(b"patch(\n    'x.apply_async',\n    wraps=tasks.send.apply_async,\n)\n")
    assert mentions_celery(b"m = Mock(wraps=helper)\nsend.delay(1)\n")
    # a setting read inside a name is not Celery configuration; one that starts with the namespace is
    assert not mentions_celery(b"queue = settings.ORDER_EVENTS_CELERY_QUEUE_NAME\n")
    assert mentions_celery(b"CELERY_TASK_ROUTES = {}\n") and mentions_celery(b'namespace="CELERY"')
    assert not mentions_celery(b"def compute_total(order):\n    return sum(l.price for l in order.lines)\n")


def test_local_and_builtin_names(tmp_path):
    (tmp_path / "t.py").write_text(textwrap.dedent("""\
        from celery import shared_task
        QUEUE = "bulk"
        OPTS = {"max_retries": 2}

        @shared_task(queue=QUEUE, autoretry_for=(ValueError, KeyError), **OPTS)
        def job():
            def inner():
                return 1
            inner()
    """))
    (task,) = index_of(tmp_path).tasks
    assert task.options == {"queue": "bulk", "autoretry_for": (Ref("ValueError"), Ref("KeyError")), "max_retries": 2}
    assert not task.returns_value  # the nested function's return is not the task's


# -- values --------------------------------------------------------------------------------------
@pytest.mark.parametrize("source,kind,period", [
    ("timedelta(minutes=5)", "timedelta", 300.0),
    ("timedelta(1)", "timedelta", 86400.0),
    ("30.0", "number", 30.0),
    ("crontab()", "crontab", 60.0),
    ("crontab(minute='*/15')", "crontab", 900.0),
    ("crontab(minute=0, hour='*/6')", "crontab", 21600.0),
    ("crontab(minute=30, hour=6)", "crontab", 86400.0),
    ("crontab(minute=0, hour=6, day_of_week=1)", "crontab", 604800.0),
    ("crontab(hour=3)", "crontab", None),
    ("solar('sunset', 1, 2)", "solar", 86400.0),
    ("get_schedule()", "unknown", None),
])
def test_schedule_info(source, kind, period):
    from celery_fix.index.evaluate import evaluate

    module = cst.parse_module(f"from datetime import timedelta\nfrom celery.schedules import crontab, solar\nx = {source}\n")
    table = build_name_table(module, "m")
    value = evaluate(module.body[-1].body[0].value, table.resolve)
    assert schedule_info(value) == (kind, period)


def test_name_table_package_relative_imports():
    module = cst.parse_module("from .celery import app as celery_app\nfrom . import tasks\n")
    package = build_name_table(module, "shop", is_package=True)
    assert package.resolve(cst.Name("celery_app")) == "shop.celery.app"
    assert package.resolve(cst.Name("tasks")) == "shop.tasks"
    plain_module = build_name_table(module, "shop.views")
    assert plain_module.resolve(cst.Name("celery_app")) == "shop.celery.app"


# -- the names Celery itself computes --------------------------------------------------------------
PROBE = """
import importlib, json, os, sys
root, settings, app_path, *modules = sys.argv[1:]
sys.path.insert(0, root)
if settings != "-":
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    import django
    django.setup()
module_name, _, attr = app_path.partition(":")
app = getattr(importlib.import_module(module_name), attr)
for name in modules:
    importlib.import_module(name)
print(json.dumps(sorted(n for n in app.tasks if not n.startswith("celery."))))
"""

PROJECTS = [
    (FIXTURES / "django_proj", FIXTURES / "django_proj", "proj.settings", "proj.celery:app", ["billing.tasks", "billing.services"]),
    (FIXTURES / "plain_proj", FIXTURES / "plain_proj", "-", "worker:celery", ["jobs.tasks"]),
    (FIXTURES / "src_proj", FIXTURES / "src_proj" / "src", "-", "acme.celery_app:app", ["acme.jobs.tasks"]),
    (FIXTURES / "class_proj", FIXTURES / "class_proj", "-", "shop.celery:app", ["shop.tasks"]),
    (EXAMPLE, EXAMPLE, "shop.settings", "shop.celery:app", ["orders.tasks"]),
]


@pytest.mark.parametrize("project,path_root,settings,app,modules", PROJECTS, ids=lambda p: getattr(p, "name", None))
def test_task_names_match_celery(project, path_root, settings, app, modules, tmp_path):
    pytest.importorskip("celery")
    if settings != "-":
        pytest.importorskip("django")
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    # -I: isolated mode, so neither the repository nor PYTHONPATH leaks onto the fixture's sys.path
    result = subprocess.run(
        [sys.executable, "-I", str(probe), str(path_root), settings, app, *modules],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    celery_names = set(json.loads(result.stdout))
    assert names(index_of(project)) == celery_names


def test_namespace_subpackage_inside_a_package(tmp_path):
    """saleor's `order/migrations/tasks/` has no `__init__.py`: Python still imports it as part of
    the package (`....celeryconf` resolves), and Celery names the task by that dotted path."""
    (tmp_path / "shop" / "order" / "jobs").mkdir(parents=True)
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "order" / "__init__.py").write_text("")
    (tmp_path / "shop" / "celeryconf.py").write_text("from celery import Celery\napp = Celery('shop')\n")
    (tmp_path / "shop" / "order" / "jobs" / "fix.py").write_text(
        "from ...celeryconf import app\n\n@app.task\ndef backfill():\n    pass\n"
    )
    assert names(index_of(tmp_path)) == {"shop.order.jobs.fix.backfill"}
