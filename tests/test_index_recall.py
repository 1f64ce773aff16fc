"""Issue 14: the index follows apps, module names and values that real projects build indirectly."""

from __future__ import annotations

import json

import textwrap
from pathlib import Path

from celery_fix.config import Config
from celery_fix.constructs.modules import module_name_for, source_roots
from celery_fix.discover import discover
from celery_fix.index.build import ProjectIndex, build_index


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return tmp_path


def index_of(root: Path, **kwargs) -> ProjectIndex:
    return build_index(discover([root], Config(root=root)).files, root, **kwargs)


TASKS = """
    from proj.worker import app


    @app.task
    def sync():
        pass
"""


# -- pattern 1: apps not made by a literal Celery(...) ---------------------------------------------
def test_app_from_a_project_factory(tmp_path):
    root = project(tmp_path, {
        "proj/__init__.py": "",
        "proj/factory.py": """
            from celery import Celery

            def create_application():
                application = Celery("proj")
                application.config_from_object("django.conf:settings", namespace="CELERY")
                return application
        """,
        "proj/worker.py": "from proj.factory import create_application\n\napp = create_application()\n",
        "proj/tasks.py": TASKS,
    })
    index = index_of(root)
    assert "proj.worker.app" in index.apps
    assert [t.name for t in index.tasks] == ["proj.tasks.sync"] and index.tasks[0].app == "proj.worker.app"
    assert index.notes == []


def test_app_from_a_project_subclass_of_celery(tmp_path):
    root = project(tmp_path, {
        "proj/__init__.py": "",
        "proj/worker.py": """
            import celery

            class ProjectCelery(celery.Celery):
                pass

            class Strict(ProjectCelery):
                pass

            app = Strict("proj")
        """,
        "proj/tasks.py": TASKS,
    })
    assert [t.name for t in index_of(root).tasks] == ["proj.tasks.sync"]


def test_app_chosen_at_run_time_by_its_celery_only_methods(tmp_path):
    root = project(tmp_path, {
        "proj/__init__.py": "",
        "proj/worker.py": """
            from django.conf import settings
            from django.utils.module_loading import import_string

            celery_class = import_string(settings.CELERY_CLASS)
            app = celery_class("proj")
            app.autodiscover_tasks()
        """,
        "proj/tasks.py": TASKS,
    })
    assert [t.name for t in index_of(root).tasks] == ["proj.tasks.sync"]


def test_near_misses_make_no_app(tmp_path):
    root = project(tmp_path, {
        "proj/__init__.py": "",
        # a factory that returns something else, and a name with only non-Celery methods called
        "proj/worker.py": """
            from celery import Celery

            def make():
                Celery("unused")
                return object()

            app = make()
            app.config.from_object("x")
        """,
        "proj/tasks.py": TASKS,
    })
    index = index_of(root)
    assert index.tasks == [] and "proj.worker.app" not in index.apps
    # the decorators are there: the index says so, with the option that fixes it
    assert len(index.notes) == 1
    assert "`@proj.worker.app.task`" in index.notes[0] and 'celery-apps = ["proj.worker.app"]' in index.notes[0]


def test_celery_apps_option_names_an_app(tmp_path):
    root = project(tmp_path, {
        "proj/__init__.py": "",
        "proj/worker.py": "from somewhere import build\n\napp = build()\n",
        "proj/tasks.py": TASKS,
    })
    assert index_of(root).tasks == []
    index = index_of(root, celery_apps=("proj.worker.app",))
    assert [t.name for t in index.tasks] == ["proj.tasks.sync"] and index.notes == []


# -- pattern 8: module names without __init__.py, source roots -------------------------------------
def test_namespace_directory_below_the_project_root(tmp_path):
    root = project(tmp_path, {
        "manage.py": "",
        "search/tasks.py": "from celery import shared_task\n\n@shared_task\ndef reindex():\n    pass\n",
    })
    index = index_of(root)
    assert [t.name for t in index.tasks] == ["search.tasks.reindex"]
    assert index.module_name(root / "search" / "tasks.py") == "search.tasks"


def test_src_layout_and_backend_folder_with_manage_py(tmp_path):
    root = project(tmp_path, {
        "src/jobs/tasks.py": "",
        "backend/manage.py": "",
        "backend/search/tasks.py": "",
        "backend/shop/__init__.py": "",
        "backend/shop/tasks.py": "",
    })
    files = [p for p in root.rglob("*.py")]
    roots = source_roots(root, files)
    assert module_name_for(root / "src/jobs/tasks.py", roots) == "jobs.tasks"
    assert module_name_for(root / "backend/search/tasks.py", roots) == "search.tasks"
    assert module_name_for(root / "backend/shop/tasks.py", roots) == "shop.tasks"  # the package chain decides
    assert module_name_for(root / "backend/search/tasks.py") == "tasks"  # no roots: as before


def test_src_option_replaces_the_default_roots(tmp_path):
    root = project(tmp_path, {"code/app/search/tasks.py": ""})
    assert module_name_for(root / "code/app/search/tasks.py", source_roots(root, [], ("code",))) == "app.search.tasks"
    assert module_name_for(root / "code/app/search/tasks.py", source_roots(root, [])) == "code.app.search.tasks"


# -- pattern 2: beat schedules assembled from other modules ----------------------------------------
SCHEDULE_MODULE = """
    from datetime import timedelta

    PERIODIC_TASKS_ALL = {
        "sync": {"task": "proj.tasks.sync", "schedule": timedelta(minutes=5)},
    }
    MORE = {"clean": {"task": "proj.tasks.clean", "schedule": 60}}
"""


def test_schedule_dict_in_its_own_module(tmp_path):
    root = project(tmp_path, {
        "proj/__init__.py": "",
        "proj/periodic.py": SCHEDULE_MODULE,
        "proj/settings.py": """
            from proj.periodic import MORE, PERIODIC_TASKS_ALL

            INSTALLED_APPS = []
            CELERY_BEAT_SCHEDULE = dict(PERIODIC_TASKS_ALL)
            CELERY_BEAT_SCHEDULE |= MORE
        """,
    })
    index = index_of(root)
    entries = {(e.name, Path(e.path).name, e.line) for e in index.beat_entries}
    assert entries == {("sync", "periodic.py", 5), ("clean", "periodic.py", 7)}
    assert index.schedule_names == {"proj.periodic.PERIODIC_TASKS_ALL", "proj.periodic.MORE"}
    assert {Path(p).name for p in index.schedule_files} == {"periodic.py"}


def test_spread_and_update_across_modules(tmp_path):
    root = project(tmp_path, {
        "proj/__init__.py": "",
        "proj/periodic.py": SCHEDULE_MODULE,
        "proj/settings.py": """
            from proj import periodic

            INSTALLED_APPS = []
            CELERY_BEAT_SCHEDULE = {**periodic.PERIODIC_TASKS_ALL}
            CELERY_BEAT_SCHEDULE.update(periodic.MORE)
        """,
    })
    assert {e.name for e in index_of(root).beat_entries} == {"sync", "clean"}


def test_schedule_like_dict_not_used_by_beat_is_no_entry(tmp_path):
    root = project(tmp_path, {
        "proj/__init__.py": "",
        "proj/periodic.py": SCHEDULE_MODULE,
        "proj/settings.py": "INSTALLED_APPS = []\nCELERY_BEAT_SCHEDULE = {}\n",
    })
    index = index_of(root)
    assert index.beat_entries == [] and index.schedule_names == set()


def test_beat_fix_edits_the_entry_where_it_is_written(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from celery_fix.cli import main

    root = project(tmp_path, {
        "manage.py": "",
        "proj/__init__.py": "",
        "proj/periodic.py": SCHEDULE_MODULE,  # no word of the beat rules in it
        "proj/settings.py": """
            from proj.periodic import PERIODIC_TASKS_ALL

            INSTALLED_APPS = []
            CELERY_BEAT_SCHEDULE = dict(PERIODIC_TASKS_ALL)
        """,
    })
    monkeypatch.chdir(root)
    found = CliRunner().invoke(main, ["--no-cache", "--select", "CEL801", "."])
    assert "proj/periodic.py:5:5: CEL801" in found.output and found.output.count("CEL801") == 1
    CliRunner().invoke(main, ["--no-cache", "--select", "CEL801", "--apply", "."])
    text = (root / "proj" / "periodic.py").read_text()
    assert '"schedule": timedelta(minutes=5), "options": {"expires": 5 * 60}}' in text
    assert '"clean": {"task": "proj.tasks.clean", "schedule": 60}}' in text  # not in the schedule: untouched
    again = CliRunner().invoke(main, ["--no-cache", "--select", "CEL801", "."])
    assert again.exit_code == 0, again.output


def test_no_app_note_on_the_command_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from celery_fix.cli import main

    root = project(tmp_path, {
        "proj/__init__.py": "",
        "proj/worker.py": "from somewhere import build\n\napp = build()\n",
        "proj/tasks.py": TASKS,
    })
    monkeypatch.chdir(root)
    result = CliRunner(mix_stderr=False).invoke(main, ["--no-cache", "--list-tasks", "."])
    notes = [line for line in result.stderr.splitlines() if "celery-apps" in line]
    assert len(notes) == 1 and "0 tasks" in result.output


# -- pattern 5: test code is no configuration and no caller ----------------------------------------
def test_test_code_settings_beat_and_callers_are_fixtures(tmp_path):
    root = project(tmp_path, {
        "manage.py": "",
        "shop/__init__.py": "",
        "shop/tasks.py": """
            from celery import shared_task

            @shared_task
            def sync():
                pass

            def notify():
                sync.delay()
        """,
        "shop/tests/__init__.py": "",
        "shop/tests/settings.py": """
            INSTALLED_APPS = []
            CELERY_TASK_ALWAYS_EAGER = True
            CELERY_BEAT_SCHEDULE = {"sync": {"task": "shop.tasks.sync", "schedule": 60}}
        """,
        "shop/tests/test_notify.py": """
            from django.db import transaction
            from shop.tasks import notify

            def test_it():
                with transaction.atomic():
                    notify()
        """,
        "shop/views.py": """
            from django.db import transaction
            from shop.tasks import notify

            def view(request):
                with transaction.atomic():
                    notify()
        """,
    })
    index = index_of(root)
    assert index.beat_entries == [] and "task_always_eager" not in index.settings
    assert [(Path(path).name, caller) for caller, _, path, _ in index.atomic_call_sites] == [("views.py", "shop.views.view")]


# -- pattern 7: CEL401's wording when the settings do set a backend -----------------------------------
def test_cel401_wording_when_the_settings_set_a_backend(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from celery_fix.cli import main

    tasks = "from celery import shared_task\n\n@shared_task\ndef sync():\n    pass\n"
    root = project(tmp_path, {"manage.py": "", "proj/__init__.py": "", "proj/tasks.py": tasks,
                              "proj/settings.py": "INSTALLED_APPS = []\n"})
    monkeypatch.chdir(root)
    def full_messages() -> str:
        out = CliRunner().invoke(main, ["--no-cache", "--select", "CEL401", "--format", "json", "."]).output
        return "\n".join(f["code"] + " " + f["full_message"] for f in json.loads(out)["findings"])

    unknown = full_messages()
    assert "cannot tell whether one is" in unknown  # near miss: no backend written anywhere
    (root / "proj" / "settings.py").write_text(
        'import os\n\nINSTALLED_APPS = []\nCELERY_RESULT_BACKEND = os.environ.get("RESULTS")\n'
    )
    written = full_messages()
    assert "CEL401" in written and "cannot tell" not in written
    assert "the result backend `CELERY_RESULT_BACKEND` chooses at run time" in written


# -- pattern 6: forwarded **options are no routing ---------------------------------------------------
def test_forwarded_options_are_no_routing(tmp_path):
    from celery_fix.rules.no_queue_routing import routed

    tasks = "".join(f"@shared_task\ndef t{i}():\n    pass\n\n" for i in range(12))
    files = {
        "manage.py": "",
        "proj/__init__.py": "",
        "proj/tasks.py": "from celery import shared_task\n\n" + tasks,
        "proj/helpers.py": """
            from celery import Task

            def send(sig, **kwargs):
                return sig.apply_async(**kwargs)

            class BaseTask(Task):
                def apply_async(self, args=None, kwargs=None, **options):
                    return super().apply_async(args, kwargs, **options)
        """,
    }
    assert not routed(index_of(project(tmp_path, files)))
    # near miss: a project task dispatched with options this scan cannot read may be routed
    (tmp_path / "proj" / "go.py").write_text("from proj.tasks import t1\n\ndef go(opts):\n    t1.apply_async(**opts)\n")
    assert routed(index_of(tmp_path))


# -- pattern 3: receivers connected in another module ------------------------------------------------
def test_handler_connected_in_another_module_is_a_receiver(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from celery_fix.cli import main

    root = project(tmp_path, {
        "manage.py": "",
        "shop/__init__.py": "",
        "shop/tasks.py": "from celery import shared_task\n\n@shared_task\ndef index_order(pk):\n    pass\n",
        "shop/handlers.py": """
            from shop.tasks import index_order

            def order_saved(sender, instance, **kwargs):
                index_order.delay(instance.pk)

            def order_viewed(request, order):
                index_order.delay(order.pk)
        """,
        "shop/apps.py": """
            from django.apps import AppConfig
            from django.db.models.signals import post_migrate, post_save

            from shop.handlers import order_saved, order_viewed

            class ShopConfig(AppConfig):
                def ready(self):
                    post_save.connect(order_saved, sender="shop.Order")
                    post_migrate.connect(order_viewed, sender=self)  # not a model signal CEL704 covers
        """,
    })
    assert index_of(root).signal_receivers == {"shop.handlers.order_saved": "post_save",
                                               "shop.handlers.order_viewed": "post_migrate"}
    monkeypatch.chdir(root)
    output = CliRunner().invoke(main, ["--no-cache", "--select", "CEL704", "."]).output
    assert "shop/handlers.py:5:5: CEL704" in output and "a `post_save` receiver" in output
    assert output.count("CEL704") == 1  # near miss: order_viewed is connected to `post_migrate` only


# -- pattern 4: callers through methods, bounded chains ----------------------------------------------
def test_cel702_through_a_method_and_a_bounded_chain(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from celery_fix.cli import main

    root = project(tmp_path, {
        "manage.py": "",
        "shop/__init__.py": "",
        "shop/tasks.py": "from celery import shared_task\n\n@shared_task\ndef send(pk):\n    pass\n",
        "shop/services.py": """
            from shop.tasks import send

            class Notifier:
                def notify(self, pk):
                    self.deliver(pk)

                def deliver(self, pk):
                    send.delay(pk)

            def step1(pk):
                step2(pk)

            def step2(pk):
                step3(pk)

            def step3(pk):
                step4(pk)

            def step4(pk):
                send.delay(pk)
        """,
        "shop/views.py": """
            from django.db import transaction
            from shop.services import Notifier, step1

            def place(request):
                with transaction.atomic():
                    Notifier.notify(None, 1)
                    step1(1)
        """,
    })
    monkeypatch.chdir(root)
    output = CliRunner().invoke(main, ["--no-cache", "--select", "CEL702", "."]).output
    assert "shop/services.py:9:9: CEL702" in output
    found = json.loads(CliRunner().invoke(main, ["--no-cache", "--select", "CEL702", "--format", "json", "."]).output)
    assert "through `notify()`" in found["findings"][0]["full_message"]
    # near miss: step4 is four calls away from the atomic block, beyond the bound
    assert output.count("CEL702") == 1, output
