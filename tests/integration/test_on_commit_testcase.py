"""What the on_commit fix changes in a project's own tests (the Fix safety sections say so): inside
Django's `TestCase` (here `django_db` without `transaction=True`, the same wrapping transaction)
nothing commits, so a fixed dispatch sends nothing unless the test runs the callbacks with
`captureOnCommitCallbacks(execute=True)` (pytest-django: `django_capture_on_commit_callbacks`)."""

import pytest


@pytest.mark.django_db
def test_testcase_sends_nothing_after_the_fix(published, fix_module):
    module, _ = fix_module("orders_before")
    module.place_order("book")
    assert published == []


@pytest.mark.django_db
def test_captured_callbacks_send_the_task(published, fix_module, django_capture_on_commit_callbacks):
    module, _ = fix_module("orders_before")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        order = module.place_order("book")
    assert len(callbacks) == 1
    assert [(m["task"], m["args"]) for m in published] == [("cfx_app.tasks.order_visible", [order.pk])]


@pytest.mark.django_db
def test_before_the_fix_testcase_saw_the_task(published):
    from cfx_app import orders_before

    order = orders_before.place_order("book")
    assert [(m["task"], m["args"]) for m in published] == [("cfx_app.tasks.order_visible", [order.pk])]
