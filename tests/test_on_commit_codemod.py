"""The CEL701 fix as a libcst codemod (`python -m libcst.tool codemod on_commit.OnCommitCommand`)."""

import libcst as cst
from libcst.codemod import CodemodContext

from celery_fix.codemods import on_commit

BEFORE = '''from django.db import transaction

from shop.tasks import notify


def place(order, items):
    with transaction.atomic(using="orders"):
        order.save()
        notify.delay(order.pk)  # keep
        for item in items:
            notify.delay(item.pk)
        callback = lambda: notify.delay(order.pk)


def risky(order):
    with transaction.atomic():
        notify.delay(order.pk)
        raise ValueError
'''

AFTER = '''from django.db import transaction

from shop.tasks import notify
from functools import partial


def place(order, items):
    with transaction.atomic(using="orders"):
        order.save()
        transaction.on_commit(partial(notify.delay, order.pk), using="orders")  # keep
        for item in items:
            transaction.on_commit(partial(notify.delay, item.pk), using="orders")
        callback = lambda: notify.delay(order.pk)


def risky(order):
    with transaction.atomic():
        notify.delay(order.pk)
        raise ValueError
'''


def transform(source: str, **kwargs) -> str:
    command = on_commit.OnCommitCommand(CodemodContext(), **kwargs)
    return command.transform_module(cst.parse_module(source)).code


def test_codemod_wraps_safe_sites_and_adds_the_import():
    assert transform(BEFORE) == AFTER


def test_codemod_unsafe_flag_also_wraps_sites_followed_by_a_raise():
    assert "transaction.on_commit(partial(notify.delay, order.pk))\n        raise ValueError" in transform(BEFORE, unsafe=True)


def test_engine_never_imports_libcst_codemod():
    import subprocess
    import sys

    code = "import sys, celery_fix.codemods.on_commit; print('libcst.codemod' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
