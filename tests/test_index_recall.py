"""Issue 14: the index follows apps, module names and values that real projects build indirectly."""

from __future__ import annotations

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
