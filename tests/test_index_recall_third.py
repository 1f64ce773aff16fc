"""Issue 14, third round: receiver helpers used from files the prefilter skips, module-level
instances in the call graph, and item writes / `.update()` inside module-level `if`s."""

from __future__ import annotations

import pytest
from test_index_recall import index_of, project
from test_index_recall_indirect import RECEIVER_HELPERS, TASKS, findings

from celery_fix.engine.files import SourceReader
from celery_fix.engine.wordscan import WordScan
from celery_fix.index import build
from celery_fix.index.build import ATOMIC_WORDS, PREFILTER_WORDS

# -- 1: a helper called from a file with no index word --------------------------------------------
APPS = """
    from django.apps import AppConfig


    class ShopConfig(AppConfig):
        name = "shop"

        def ready(self):
            from shop.handlers import connected_in_ready, not_connected
            from shop.other import connect_delete as unrelated
            from shop.signals import connect_delete

            connect_delete(connected_in_ready)
            unrelated(not_connected)  # near miss: a same-named function that connects nothing
"""
HANDLERS_TAIL = """


        def connected_in_ready(sender, instance, **kwargs):
            index_order.delay(instance.pk)


        def not_connected(sender, instance, **kwargs):
            index_order.delay(instance.pk)
"""


def _helper_project(tmp_path):
    files = dict(RECEIVER_HELPERS)
    files["shop/apps.py"] = APPS
    files["shop/other.py"] = "def connect_delete(handler):\n    return handler\n"
    files["shop/unrelated.py"] = "def ready():\n    return 1\n"  # uses no helper: stays skipped
    files["shop/handlers.py"] += HANDLERS_TAIL
    return project(tmp_path, files)


def test_helper_called_from_a_file_without_index_words(tmp_path):
    root = _helper_project(tmp_path)
    assert not build.mentions_celery((root / "shop/apps.py").read_bytes())  # the first round skips it
    index = index_of(root)
    assert index.signal_receivers["shop.handlers.connected_in_ready"] == "post_delete"
    assert index.receiver_helpers["shop.handlers.connected_in_ready"] == "shop.signals.connect_delete"
    assert "shop.handlers.not_connected" not in index.signal_receivers
    assert str(root / "shop/apps.py") in index.indexed_files
    # the second round reads the file that spells a helper's name, not every skipped file
    parsed_without_helpers = index_of(project(tmp_path / "plain", {"manage.py": "", "shop/__init__.py": "",
                                                                    "shop/unrelated.py": "x = 1\n"}))
    assert parsed_without_helpers.stats.parsed == 0
    (root / "shop/apps.py").write_text(APPS.replace("connect_delete(connected_in_ready)", "pass"))
    assert "shop.handlers.connected_in_ready" not in index_of(root).signal_receivers


def test_cel704_reports_a_handler_connected_from_apps_ready(tmp_path, monkeypatch):
    found = findings(_helper_project(tmp_path), monkeypatch, "CEL704")
    source = (tmp_path / "shop/handlers.py").read_text().splitlines()
    reported = {source[f["location"]["line"] - 2].strip() for f in found}
    assert "def connected_in_ready(sender, instance, **kwargs):" in reported
    assert "def not_connected(sender, instance, **kwargs):" not in reported


def test_helper_round_in_triage_workers_gives_the_serial_index(tmp_path, monkeypatch):
    """Triage workers read the skipped files themselves: the second round reads them here."""
    root = _helper_project(tmp_path)
    files = sorted(p for p in root.rglob("*.py"))
    scan = WordScan({*PREFILTER_WORDS, *ATOMIC_WORDS})
    serial = build.build_index(files, root, jobs=1, read=SourceReader(scan))
    monkeypatch.setattr(build, "TRIAGE_THRESHOLD", 0)
    parallel = build.build_index(files, root, jobs=2, read=SourceReader(scan))
    assert parallel.signal_receivers == serial.signal_receivers
    assert "shop.handlers.connected_in_ready" in parallel.signal_receivers
    assert (parallel.stats.parsed, parallel.stats.skipped) == (serial.stats.parsed, serial.stats.skipped)


# -- 2: module-level instances ----------------------------------------------------------------------
INSTANCES = {
    "manage.py": "",
    "shop/__init__.py": "",
    "shop/tasks.py": TASKS,
    "shop/services.py": """
        import os

        import requests
        from django.db import transaction

        from shop.tasks import index_order


        class Notifier:
            def notify(self, pk):
                index_order.delay(pk)

            def renotify(self, pk):
                index_order.delay(pk)


        class Other:
            def notify(self, pk):
                index_order.delay(pk)


        notifier = Notifier()
        rebound = Notifier()
        rebound = Other()
        if os.environ.get("OTHER"):
            branched = Notifier()
        else:
            branched = Other()
        session = requests.Session()
        swapped = Notifier()


        def swap():
            global swapped
            swapped = Other()


        def in_the_module():
            with transaction.atomic():
                notifier.renotify(1)
    """,
    "shop/views.py": """
        from django.db import transaction

        from shop import services
        from shop.services import branched, notifier, rebound, session, swapped


        def imported(request):
            with transaction.atomic():
                notifier.notify(1)


        def through_the_module(request):
            with transaction.atomic():
                services.notifier.notify(2)


        def near_misses(request):
            with transaction.atomic():
                rebound.notify(1)
                branched.notify(1)
                session.notify(1)
                swapped.notify(1)
    """,
}


def test_module_level_instances_link_to_the_method(tmp_path):
    index = index_of(project(tmp_path, INSTANCES))
    sites = {(caller, callee) for caller, callee, _, _ in index.atomic_call_sites}
    assert sites == {
        ("shop.views.imported", "shop.services.Notifier.notify"),
        ("shop.views.through_the_module", "shop.services.Notifier.notify"),
        ("shop.services.in_the_module", "shop.services.Notifier.renotify"),  # used in its own module
    }
    # near misses: rebound, set in an if, from a non-project call, rebound through `global`
    assert not any(callee.endswith("Other.notify") for callees in index.calls.values() for callee in callees)


def test_module_instances_fact_names_only_unconditional_single_bindings(tmp_path):
    from celery_fix.index.ast_collect import collect_source_ast

    root = project(tmp_path, INSTANCES)
    facts = collect_source_ast(str(root / "shop/services.py"), (root / "shop/services.py").read_bytes(), "shop.services")
    assert facts.instances == {"notifier": "shop.services.Notifier", "session": "requests.Session"}


def test_cel702_chain_through_a_module_level_instance(tmp_path, monkeypatch):
    files = dict(INSTANCES)
    files["shop/views.py"] = """
        from django.db import transaction

        from shop.services import notifier


        def place(request):
            with transaction.atomic():
                checkout(1)


        def checkout(pk):
            notifier.notify(pk)
    """
    found = [f for f in findings(project(tmp_path, files), monkeypatch, "CEL702") if "views" in f["full_message"]]
    assert [(f["filename"], f["location"]["line"]) for f in found] == [("shop/services.py", 12)]
    assert "through `checkout()`" in found[0]["full_message"]


# -- 3: item writes and `.update()` inside module-level `if`s ---------------------------------------
BRANCH_WRITES = """
    import os

    DEBUG = os.environ.get("DEBUG") == "1"
    INSTALLED_APPS = ["proj"]
    CELERY_BEAT_SCHEDULE = {"base": {"task": "proj.tasks.sync", "schedule": 60}}
    CELERY_TASK_ROUTES = {"proj.tasks.a": {"queue": "a"}}
    CELERY_TASK_ANNOTATIONS = {}
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {}
    if DEBUG:
        CELERY_BEAT_SCHEDULE["debug"] = {"task": "proj.tasks.sync", "schedule": 5}
        CELERY_TASK_ROUTES.update({"proj.tasks.b": {"queue": "b"}})
        CELERY_TASK_ANNOTATIONS["*"] = {"rate_limit": "1/s"}
        CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS.update(retry_policy={"max_retries": 3})
    else:
        CELERY_BEAT_SCHEDULE.update(prod={"task": "proj.tasks.sync", "schedule": 3600})
        CELERY_TASK_ANNOTATIONS["*"] = {"rate_limit": "1/s"}
        CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS.update(retry_policy={"max_retries": 3})
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = 3600
"""


def test_item_writes_and_updates_in_branches(tmp_path):
    index = index_of(project(tmp_path, {"manage.py": "", "proj/__init__.py": "", "proj/settings.py": BRANCH_WRITES}))
    settings = index.settings
    assert not settings["task_routes"].known  # updated in one branch only
    assert not settings["beat_schedule"].known
    # near misses: the same write in every branch, and a write after the `if`, stay known
    assert settings["task_annotations"].value == {"*": {"rate_limit": "1/s"}}
    assert settings["result_backend_transport_options"].value == {"retry_policy": {"max_retries": 3}}
    assert settings["broker_transport_options"].value == {"visibility_timeout": 3600}
    # beat entries: every branch's (their union)
    assert sorted(e.name for e in index.beat_entries) == ["base", "debug", "prod"]


@pytest.mark.parametrize("write", [
    'CELERY_TASK_ROUTES["proj.tasks.b"] = {"queue": "b"}', 'CELERY_TASK_ROUTES.update(b={"queue": "b"})',
])
def test_unconditional_write_still_applies(tmp_path, write):
    settings = f'INSTALLED_APPS = ["proj"]\nCELERY_TASK_ROUTES = {{"a": {{"queue": "a"}}}}\n{write}\n'
    index = index_of(project(tmp_path, {"manage.py": "", "proj/__init__.py": "", "proj/settings.py": settings}))
    value = index.settings["task_routes"].value
    assert value["a"] == {"queue": "a"} and len(value) == 2


APP_CONF_IN_BRANCHES = """
    import os

    from celery import Celery

    app = Celery("proj")
    app.conf.task_default_queue = "default"
    app.conf.task_routes = {"proj.tasks.a": {"queue": "a"}}
    if os.environ.get("EAGER"):
        app.conf.update(task_always_eager=True, beat_schedule={"eager": {"task": "proj.tasks.sync", "schedule": 5}})
        app.conf.task_routes["proj.tasks.b"] = {"queue": "b"}
        app.conf.result_expires = 60
    app.conf.task_ignore_result = True
"""


def test_app_conf_writes_in_a_module_level_if_are_unknown(tmp_path):
    files = {"manage.py": "", "proj/__init__.py": "", "proj/celery.py": APP_CONF_IN_BRANCHES}
    index = index_of(project(tmp_path, files))
    settings = index.settings
    for key in ("task_always_eager", "task_routes", "result_expires", "beat_schedule"):
        assert not settings[key].known, key
    # near misses: writes before and after the `if` hold
    assert settings["task_default_queue"].value == "default"
    assert settings["task_ignore_result"].value is True
    assert [e.name for e in index.beat_entries] == ["eager"]  # the branch's entries still count
