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
    assert "registered through the project's `on_save()`" in saved


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
