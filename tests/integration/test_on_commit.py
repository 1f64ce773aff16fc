"""CEL701's fix under a real Django (SQLite files) and a real Celery worker (no mocks).

Each behaviour test runs the original module (`before`, marked xfail strict: it must FAIL the
assertion, which proves the bug is real) and the module celery-fix produced from it (`after`).
"""

import re

import pytest
from celery.result import AsyncResult
from django.db import transaction

from cfx_app import late_binding, orders_before, signup_before
from cfx_app.models import Order

STYLES = ["partial", "lambda", "delay_on_commit"]
BEFORE = pytest.mark.xfail(strict=True, raises=AssertionError, reason="the bug celery-fix fixes")


# the original module, and the module --apply makes of it in each on-commit-style
VERSIONS = [pytest.param("before", marks=BEFORE)] + [f"after-{style}" for style in STYLES]


def load(fix_module, version):
    if version == "before":
        return orders_before
    return fix_module("orders_before", options={"on-commit-style": version.split("-", 1)[1]})[0]


class Rollback(Exception):
    pass


def result_of(message):
    return AsyncResult(message["headers"]["id"]).get(timeout=5, interval=0.01)


@pytest.fixture(params=STYLES)
def fixed_orders(request, fix_module):
    module, source = fix_module("orders_before", options={"on-commit-style": request.param})
    return module, source, request.param


def test_fix_output(fixed_orders):
    """What --apply wrote: on_commit(partial(...)) with `using=`, the unsafe site untouched."""
    _, written, style = fixed_orders
    source = _Flat(written)
    if style == "lambda":  # nothing read by these calls is rebound later in their block
        assert "transaction.on_commit(lambda: order_visible.delay(order.pk))" in source
        assert (
            'transaction.on_commit(lambda: order_visible.apply_async(args=(order.pk,), kwargs={"using": alias}), '
            "using=alias)" in source
        )
    else:  # delay_on_commit: the tasks are not provably DjangoTask -> on_commit + partial
        assert "transaction.on_commit(partial(order_visible.delay, order.pk))" in source
        assert (
            'transaction.on_commit(partial(order_visible.apply_async, args=(order.pk,), kwargs={"using": alias}), '
            "using=alias)" in source
        )
    # the loop rebinds `order`: a lambda would late-bind, so even the lambda style uses partial
    assert "transaction.on_commit(partial(item_seen.delay, order.item))" in source
    # the block raises after this dispatch: unsafe, so --apply alone leaves it as it was
    assert "        order_visible.delay(order.pk)  # sent even when the block raises below" in written


class _Flat:
    """`text in source` regardless of how the fix wrapped a long line (black's layout)."""

    def __init__(self, text: str) -> None:
        self.text = _flat(text)

    def __contains__(self, text: str) -> bool:
        return _flat(text) in self.text


def _flat(text: str) -> str:
    return re.sub(r",\)", ")", re.sub(r"\s+", "", text))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("version", VERSIONS)
def test_no_task_when_the_transaction_rolls_back(worker, published, fix_module, version):
    module = load(fix_module, version)
    with pytest.raises(Rollback):
        with transaction.atomic():  # e.g. ATOMIC_REQUESTS, or a service calling place_order
            module.place_order("x")
            raise Rollback
    assert Order.objects.count() == 0
    assert published == []


@pytest.mark.django_db(transaction=True)
def test_before_fix_the_rolled_back_task_really_runs(worker, published):
    """Evidence, not just 'a message was built': the worker executes the task of the rolled-back
    transaction, and finds no row."""
    with pytest.raises(Rollback):
        with transaction.atomic():
            orders_before.place_order("x")
            raise Rollback
    assert [m["task"] for m in published] == ["cfx_app.tasks.order_visible"]
    assert result_of(published[0]) is False


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("version", VERSIONS)
def test_worker_sees_the_committed_row(worker, run_at_publish, fix_module, version):
    module = load(fix_module, version)
    order = module.place_order("x")
    assert Order.objects.filter(pk=order.pk).exists()
    assert run_at_publish == [True]  # before the fix: [False], the worker ran before COMMIT


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("style", ["partial", "lambda"])
def test_loop_each_task_gets_its_own_item(worker, published, fix_module, style):
    module = fix_module("orders_before", options={"on-commit-style": style})[0]
    module.place_many(["a", "b", "c"])
    assert [m["args"] for m in published] == [["a"], ["b"], ["c"]]
    assert [result_of(m) for m in published] == [["a", True], ["b", True], ["c", True]]


@pytest.mark.django_db(transaction=True)
@BEFORE
def test_loop_with_a_lambda_binds_late(worker, published):
    """The bug a lambda style would bring into the loop (why partial is the default)."""
    late_binding.place_many(["a", "b", "c"])
    assert [m["args"] for m in published] == [["a"], ["b"], ["c"]]  # it is c, c, c


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("version", [pytest.param("before", marks=BEFORE), "after"])
def test_loop_tasks_run_after_commit(worker, run_at_publish, fix_module, version):
    module = orders_before if version == "before" else fix_module("orders_before")[0]
    module.place_many(["a", "b"])
    assert Order.objects.count() == 2
    assert run_at_publish == [["a", True], ["b", True]]  # before: [["a", False], ["b", False]]


@pytest.mark.django_db(transaction=True, databases=["default", "second"])
@pytest.mark.parametrize("version", [pytest.param("before", marks=BEFORE), "after"])
def test_using_second_database_waits_for_its_commit(worker, run_at_publish, fix_module, version):
    module = orders_before if version == "before" else fix_module("orders_before")[0]
    order = module.place_on("second", "x")
    assert Order.objects.using("second").filter(pk=order.pk).exists()
    assert run_at_publish == [True]  # before: [False]


@pytest.mark.django_db(transaction=True, databases=["default", "second"])
@pytest.mark.parametrize("version", [pytest.param("before", marks=BEFORE), "after"])
def test_using_second_database_rollback(worker, published, fix_module, version):
    module = orders_before if version == "before" else fix_module("orders_before")[0]
    with pytest.raises(Rollback):
        with transaction.atomic(using="second"):
            module.place_on("second", "x")
            raise Rollback
    assert published == []


@pytest.mark.django_db(transaction=True, databases=["default", "second"])
@BEFORE
def test_on_commit_without_using_fires_too_early(worker, run_at_publish):
    """Why `using=` is carried: on_commit() on "default" (in autocommit) runs at once, while
    the transaction on "second" is still open."""
    from functools import partial

    from cfx_app.tasks import order_visible

    with transaction.atomic(using="second"):
        order = Order.objects.using("second").create(item="x")
        transaction.on_commit(partial(order_visible.delay, order.pk, using="second"))
    assert run_at_publish == [True]


@pytest.mark.django_db(transaction=True)
def test_unsafe_fix_changes_behaviour_on_raise(worker, published, fix_module):
    """The block raises after the dispatch: today the task is sent despite the rollback. The
    fix is unsafe (not applied by --apply); with --unsafe-fixes the task is no longer sent."""
    with pytest.raises(RuntimeError):
        orders_before.place_or_fail("x", fail=True)
    assert len(published) == 1
    published.clear()
    module, source = fix_module("orders_before", unsafe=True)
    assert "order_visible.delay(order.pk)  # sent" not in source
    with pytest.raises(RuntimeError):
        module.place_or_fail("x", fail=True)
    assert published == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("version", [pytest.param("before", marks=BEFORE), "after"])
def test_delay_on_commit_style_with_django_task(worker, run_at_publish, fix_module, version):
    if version == "before":
        module = signup_before
    else:
        module, source = fix_module("signup_before", options={"on-commit-style": "delay_on_commit"})
        assert "welcome.delay_on_commit(order.pk)" in source
    order = module.sign_up("x")
    assert Order.objects.filter(pk=order.pk).exists()
    assert run_at_publish == [True]


@pytest.mark.django_db(transaction=True)
def test_delay_on_commit_style_rollback(worker, published, fix_module):
    module, _ = fix_module("signup_before", options={"on-commit-style": "delay_on_commit"})
    with pytest.raises(Rollback):
        with transaction.atomic():
            module.sign_up("x")
            raise Rollback
    assert published == []
