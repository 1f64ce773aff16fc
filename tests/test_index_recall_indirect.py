"""Issue 14, second round: receivers registered through project helpers, callers through methods
of typed locals, and settings written in `if`/`else` branches."""

from __future__ import annotations

import json

from click.testing import CliRunner
from test_index_recall import index_of, project

from celery_fix.cli import main

TASKS = "from celery import shared_task\n\n@shared_task\ndef index_order(pk):\n    pass\n"


def findings(root, monkeypatch, code: str) -> list[dict]:
    monkeypatch.chdir(root)
    output = CliRunner().invoke(main, ["--no-cache", "--select", code, "--format", "json", "."]).stdout
    return json.loads(output)["findings"]


# -- pattern 3: receivers registered through a project helper ---------------------------------------
RECEIVER_HELPERS = {
    "manage.py": "",
    "shop/__init__.py": "",
    "shop/tasks.py": TASKS,
    "shop/signals.py": """
        from django.db.models.signals import post_delete, post_migrate, post_save
        from django.dispatch import receiver


        def on_save(model):
            return receiver(post_save, sender=model)


        def on_migrate(app):
            return receiver(post_migrate, sender=app)


        def connect_delete(handler):
            post_delete.connect(handler, sender="shop.Order")
            return handler


        def on_delete_of(model):
            def register(func):
                post_delete.connect(func, sender=model)
                return func
            return register


        def log_only(handler):
            print(handler)
            return handler
    """,
    "shop/handlers.py": """
        from shop import signals
        from shop.signals import connect_delete, log_only, on_migrate, on_save
        from shop.tasks import index_order


        @on_save("shop.Order")
        def saved(sender, instance, **kwargs):
            index_order.delay(instance.pk)


        @connect_delete
        def deleted(sender, instance, **kwargs):
            index_order.delay(instance.pk)


        @signals.on_delete_of("shop.Item")
        def item_deleted(sender, instance, **kwargs):
            index_order.delay(instance.pk)


        def connected_by_call(sender, instance, **kwargs):
            index_order.delay(instance.pk)


        @on_migrate(None)
        def migrated(sender, **kwargs):
            index_order.delay(1)


        @log_only
        def logged(sender, instance, **kwargs):
            index_order.delay(instance.pk)


        connect_delete(connected_by_call)
    """,
}


def test_receivers_registered_through_project_helpers(tmp_path):
    index = index_of(project(tmp_path, RECEIVER_HELPERS))
    assert index.signal_receivers == {
        "shop.handlers.saved": "post_save",
        "shop.handlers.deleted": "post_delete",
        "shop.handlers.item_deleted": "post_delete",
        "shop.handlers.connected_by_call": "post_delete",
    }  # near miss: `on_migrate` wraps a receiver of `post_migrate`, no model signal
    assert index.receiver_helpers["shop.handlers.saved"] == "shop.signals.on_save"
    assert index.receiver_helpers["shop.handlers.item_deleted"] == "shop.signals.on_delete_of"
    assert "shop.handlers.logged" not in index.signal_receivers  # near miss: the helper connects nothing


def test_cel704_covers_handlers_registered_through_helpers(tmp_path, monkeypatch):
    found = findings(project(tmp_path, RECEIVER_HELPERS), monkeypatch, "CEL704")
    functions = {f["location"]["line"]: f["full_message"] for f in found}
    source = (tmp_path / "shop/handlers.py").read_text().splitlines()
    reported = {source[line - 2].strip() for line in functions}  # the def above each dispatch
    assert reported == {
        "def saved(sender, instance, **kwargs):", "def deleted(sender, instance, **kwargs):",
        "def item_deleted(sender, instance, **kwargs):", "def connected_by_call(sender, instance, **kwargs):",
    }
    saved = next(m for m in functions.values() if "post_save" in m)
    assert "receiver registered through `on_save()`" in saved


def test_handler_imported_in_a_function_and_given_to_a_helper(tmp_path):
    files = dict(RECEIVER_HELPERS)
    # (in a module the index reads: a file with no Celery word, like an apps.py that only calls
    # the helper, is skipped by the prefilter)
    files["shop/handlers.py"] += """

        def register_all():
            from shop.handlers import logged as imported
            from shop.signals import connect_delete as connect

            connect(imported)
            handler = migrated
            connect(handler)  # a plain local: not followed
    """
    index = index_of(project(tmp_path, files))
    assert index.signal_receivers["shop.handlers.logged"] == "post_delete"
    assert index.receiver_helpers["shop.handlers.logged"] == "shop.signals.connect_delete"
    assert "shop.handlers.migrated" not in index.signal_receivers


def test_receiver_wrapper_alone_in_its_module_is_read(tmp_path):
    files = dict(RECEIVER_HELPERS)
    files["shop/signals.py"] = (
        "from django.db.models.signals import post_save\nfrom django.dispatch import receiver\n\n\n"
        "def on_save(model):\n    return receiver(post_save, sender=model)\n"
    )
    files["shop/handlers.py"] = (
        "from shop.signals import on_save\nfrom shop.tasks import index_order\n\n\n"
        "@on_save('shop.Order')\ndef saved(sender, instance, **kwargs):\n    index_order.delay(instance.pk)\n"
    )
    assert index_of(project(tmp_path, files)).signal_receivers == {"shop.handlers.saved": "post_save"}


def test_receiver_helper_of_an_unrelated_module_is_not_followed(tmp_path):
    files = dict(RECEIVER_HELPERS)
    # the same helper names, defined in a module that registers nothing
    files["shop/other.py"] = "def on_save(model):\n    return model\n\ndef connect_delete(handler):\n    return handler\n"
    files["shop/handlers.py"] = (
        "from shop.other import connect_delete, on_save\nfrom shop.tasks import index_order\n\n\n"
        "@on_save('shop.Order')\ndef saved(sender, instance, **kwargs):\n    index_order.delay(instance.pk)\n\n\n"
        "def handler(sender, instance, **kwargs):\n    index_order.delay(instance.pk)\n\n\nconnect_delete(handler)\n"
    )
    assert index_of(project(tmp_path, files)).signal_receivers == {}


# -- pattern 4: callers through methods of typed locals -----------------------------------------------
METHOD_CALLERS = {
    "manage.py": "",
    "shop/__init__.py": "",
    "shop/tasks.py": TASKS,
    "shop/services.py": """
        from shop.tasks import index_order


        class Base:
            def deliver(self, pk):
                index_order.delay(pk)


        class Notifier(Base):
            def notify(self, pk):
                index_order.delay(pk)


        class Other:
            def notify(self, pk):
                index_order.delay(pk)

            def ping(self, pk):
                index_order.delay(pk)

            def pong(self, pk):
                index_order.delay(pk)
    """,
    "shop/views.py": """
        from django.db import transaction

        from shop import services
        from shop.services import Notifier, Other


        def typed_by_construction(request):
            notifier = Notifier()
            with transaction.atomic():
                notifier.notify(1)


        def typed_by_annotation(request, notifier: "Notifier"):
            with transaction.atomic():
                notifier.deliver(1)  # inherited from Base


        def on_a_new_instance(request):
            with transaction.atomic():
                services.Other().ping(1)


        def rebound(request, flag):
            obj = Notifier()
            if flag:
                obj = Other()
            with transaction.atomic():
                obj.pong(1)


        def unknown_receiver(request, obj):
            with transaction.atomic():
                obj.pong(1)
    """,
}


def test_calls_through_typed_locals_and_instances_link_to_the_method(tmp_path):
    index = index_of(project(tmp_path, METHOD_CALLERS))
    assert {(caller, callee) for caller, callee, _, _ in index.atomic_call_sites} == {
        ("shop.views.typed_by_construction", "shop.services.Notifier.notify"),
        ("shop.views.typed_by_annotation", "shop.services.Base.deliver"),
        ("shop.views.on_a_new_instance", "shop.services.Other.ping"),
    }
    # near misses: a rebound name and an unannotated parameter have no class; `Other.notify`
    # shares a name with the method called, not its class
    assert not any(callee.endswith(("pong", "Other.notify")) for callees in index.calls.values() for callee in callees)


def test_cel702_through_a_typed_local_in_a_chain(tmp_path, monkeypatch):
    files = dict(METHOD_CALLERS)
    files["shop/views.py"] = """
        from django.db import transaction

        from shop.services import Notifier


        def place(request):
            with transaction.atomic():
                checkout(1)


        def checkout(pk):
            service: Notifier = make()
            service.notify(pk)


        def make():
            return Notifier()
    """
    found = findings(project(tmp_path, files), monkeypatch, "CEL702")
    assert [(f["filename"], f["location"]["line"]) for f in found] == [("shop/services.py", 12)]
    assert "through `checkout()`" in found[0]["full_message"]


# -- pattern 2: module-level `if`/`else` --------------------------------------------------------------
BRANCHED_SETTINGS = """
    import os

    DEBUG = os.environ.get("DEBUG") == "1"
    INSTALLED_APPS = ["proj"]

    if DEBUG:
        CELERY_RESULT_BACKEND = None
        CELERY_TASK_DEFAULT_QUEUE = "celery"
        CELERY_BEAT_SCHEDULE = {"debug-sync": {"task": "proj.tasks.sync", "schedule": 60}}
        PERIODIC = {"a": {"task": "proj.tasks.sync", "schedule": 30}}
    elif os.environ.get("STAGING"):
        CELERY_RESULT_BACKEND = "redis://"
        CELERY_TASK_DEFAULT_QUEUE = "celery"
        CELERY_BEAT_SCHEDULE = {"staging-sync": {"task": "proj.tasks.sync", "schedule": 600}}
        PERIODIC = {"b": {"task": "proj.tasks.sync", "schedule": 30}}
    else:
        CELERY_RESULT_BACKEND = "redis://"
        CELERY_TASK_DEFAULT_QUEUE = "celery"
        CELERY_BEAT_SCHEDULE = {"sync": {"task": "proj.tasks.sync", "schedule": 3600}}
        PERIODIC = {"c": {"task": "proj.tasks.sync", "schedule": 30}}

    if DEBUG:
        CELERY_TASK_TIME_LIMIT = 30

    CELERY_BEAT_SCHEDULE.update(PERIODIC)
"""


def test_settings_set_differently_in_branches_are_unknown(tmp_path):
    index = index_of(project(tmp_path, {"manage.py": "", "proj/__init__.py": "", "proj/settings.py": BRANCHED_SETTINGS}))
    settings = {key: value for key, value in index.settings.items()}
    assert not settings["result_backend"].known  # None in one branch, a URL in the others: not the last one
    assert not settings["task_time_limit"].known  # set in one branch only: set or not
    assert not settings["beat_schedule"].known
    # near miss: the same value in every branch stays known
    assert settings["task_default_queue"].known and settings["task_default_queue"].value == "celery"


def test_beat_entries_of_every_branch_are_taken(tmp_path):
    index = index_of(project(tmp_path, {"manage.py": "", "proj/__init__.py": "", "proj/settings.py": BRANCHED_SETTINGS}))
    # the schedule's own branches, and those of a dict merged into it after the `if`
    assert sorted(e.name for e in index.beat_entries) == ["a", "b", "c", "debug-sync", "staging-sync", "sync"]


def test_no_result_backend_is_not_claimed_when_a_branch_sets_none(tmp_path):
    from celery_fix.constructs.results import backend_state

    settings = "INSTALLED_APPS = []\nif DEBUG:\n    CELERY_RESULT_BACKEND = 'redis://'\nelse:\n    CELERY_RESULT_BACKEND = None\n"
    files = {"manage.py": "", "proj/__init__.py": "", "proj/settings.py": settings,
             "proj/celery.py": "from celery import Celery\n\napp = Celery('proj')\n"
                               "app.config_from_object('django.conf:settings', namespace='CELERY')\n"}
    assert backend_state(index_of(project(tmp_path, files))) == "unknown"
    # near miss: both branches off is "none"
    (tmp_path / "proj/settings.py").write_text(settings.replace("'redis://'", "None"))
    assert backend_state(index_of(tmp_path)) == "none"


# -- pattern 4 (settings): a settings class loaded into its module -------------------------------------
SETTINGS_CLASSES = {
    "manage.py": "",
    "proj/__init__.py": "",
    "proj/core/__init__.py": "",
    "proj/core/settings.py": "class Settings:\n    @classmethod\n    def load_settings(cls, module_name):\n        pass\n",
    "proj/settings/__init__.py": "",
    "proj/settings/base.py": """
        from celery.schedules import crontab

        from proj.core.settings import Settings


        class BaseSettings(Settings):
            CELERY_TASK_TIME_LIMIT = 3600
            CELERY_TASK_ALWAYS_EAGER = True
            CELERY_BEAT_SCHEDULE = {
                "sync": {"task": "proj.tasks.sync", "schedule": crontab(minute="*")},
            }

            @property
            def CELERY_RESULT_BACKEND(self):
                return "redis://"


        class OtherSettings(Settings):  # never loaded
            CELERY_TASK_SOFT_TIME_LIMIT = 10
    """,
    "proj/settings/dev.py": """
        from proj.settings.base import BaseSettings


        class Mixin:
            CELERY_TASK_ALWAYS_EAGER = None


        class DevSettings(BaseSettings, Mixin):
            CELERY_TASK_ALWAYS_EAGER = False
            CELERY_BROKER_URL = "redis://cache"


        DevSettings.load_settings(__name__)
    """,
    "proj/tasks.py": "from celery import shared_task\n\n\n@shared_task\ndef sync():\n    pass\n",
}


def test_settings_class_loaded_into_its_module(tmp_path):
    index = index_of(project(tmp_path, SETTINGS_CLASSES))
    values = {key: (value.value if value.known else "?", value.path.rsplit("/", 2)[-1], value.module)
              for key, value in index.settings.items()}
    assert values == {
        "task_always_eager": (False, "dev.py", "proj.settings.dev"),  # the class's own beats its bases'
        "broker_url": ("redis://cache", "dev.py", "proj.settings.dev"),
        "task_time_limit": (3600, "base.py", "proj.settings.dev"),  # inherited, reported where written
        "beat_schedule": (values["beat_schedule"][0], "base.py", "proj.settings.dev"),
        "result_backend": ("?", "base.py", "proj.settings.dev"),  # a property: computed on load
    }
    assert [(e.name, e.task) for e in index.beat_entries] == [("sync", "proj.tasks.sync")]
    # near miss: a settings class no module loads sets nothing
    assert "task_soft_time_limit" not in index.settings


def test_settings_class_not_loaded_sets_nothing(tmp_path):
    files = dict(SETTINGS_CLASSES)
    files["proj/settings/dev.py"] = files["proj/settings/dev.py"].replace("DevSettings.load_settings(__name__)", "")
    assert index_of(project(tmp_path, files)).settings == {}


def test_settings_class_loaded_by_two_settings_modules_gives_each_entry_once(tmp_path):
    files = dict(SETTINGS_CLASSES)
    files["proj/settings/prod.py"] = "from proj.settings.base import BaseSettings\n\nBaseSettings.load_settings(__name__)\n"
    index = index_of(project(tmp_path, files))
    assert [(e.name, e.path.rsplit("/", 1)[-1]) for e in index.beat_entries] == [("sync", "base.py")]
