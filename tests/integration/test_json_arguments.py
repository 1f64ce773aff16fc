"""CEL601's fix under a real Celery worker with the JSON serializer (no mocks): the original
dispatch of a model instance fails with kombu's EncodeError before anything is published; the
fixed one (`order.pk`) is published, runs on the worker and returns the row's data."""

import pytest
from kombu.exceptions import EncodeError

from cfx_app import serialize_before
from cfx_app.models import Order

BEFORE = pytest.mark.xfail(strict=True, raises=EncodeError, reason="the bug celery-fix fixes")


@pytest.fixture
def fixed_module(fix_module):
    return fix_module("serialize_before", codes="CEL601", unsafe=True)


def test_fix_output(fixed_module):
    _, source = fixed_module
    assert "    return describe.delay(order.pk)\n" in source
    assert "describe.delay(order)\n" not in source


def test_fix_needs_unsafe(fix_module):
    _, source = fix_module("serialize_before", codes="CEL601", unsafe=False)
    assert "    return describe.delay(order)\n" in source


@pytest.mark.parametrize("version", [pytest.param("before", marks=BEFORE), "after"])
@pytest.mark.django_db(transaction=True)
def test_dispatch_with_json_serializer(version, fixed_module, worker, published, celery_app):
    assert celery_app.conf.task_serializer == "json"
    module = serialize_before if version == "before" else fixed_module[0]
    order = Order.objects.create(item="widget")
    result = module.send_description(order.pk)
    assert [m["args"] for m in published] == [[order.pk]]
    assert result.get(timeout=5, interval=0.01) == "widget"
