"""CEL702 / CEL703 with a real ProjectIndex (their snapshots run without one and stay quiet)."""

from pathlib import Path

import pytest

from celery_fix.engine.checker import EngineSettings, check_one
from celery_fix.index.build import build_index

FILES = {
    "shop/__init__.py": "",
    "shop/settings.py": """
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db", "ATOMIC_REQUESTS": True}}
""",
    "shop/tasks.py": """
from celery import shared_task


@shared_task
def send_receipt(order_id):
    return order_id
""",
    "shop/services.py": """
from shop.tasks import send_receipt


def notify_customer(order):
    send_receipt.delay(order.id)  # runs inside place_order's atomic block


def notify_twice(order):
    notify_customer(order)


def never_in_atomic(order):
    send_receipt.delay(order.id)
""",
    "shop/orders.py": """
from django.db import transaction

from shop.services import notify_customer, notify_twice, never_in_atomic


def place_order(order):
    with transaction.atomic():
        order.save()
        notify_twice(order)
    never_in_atomic(order)
""",
    "shop/views.py": """
from django.db import transaction
from django.utils.decorators import method_decorator
from django.views import View
from rest_framework.viewsets import ModelViewSet

from shop.tasks import send_receipt


def checkout(request, pk):
    send_receipt.delay(pk)
    return None


@transaction.non_atomic_requests
def checkout_non_atomic(request, pk):
    send_receipt.delay(pk)


def helper(order):
    send_receipt.delay(order.pk)


class OrderView(View):
    def post(self, request, pk):
        result = send_receipt.delay(pk)
        return result.id


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class NonAtomicView(View):
    def post(self, request, pk):
        send_receipt.delay(pk)


class OrderViewSet(ModelViewSet):
    def perform_create(self, serializer):
        order = serializer.save()
        send_receipt.delay(order.pk)
""",
}


@pytest.fixture
def project(tmp_path: Path):
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip("\n"), encoding="utf-8")
    index = build_index(sorted(tmp_path.rglob("*.py")), tmp_path)
    return tmp_path, index


def run(path: Path, code: str, index):
    settings = EngineSettings(codes=(code,), rule_options={}, unsafe_fixes=True, index=index, root=str(path.parent))
    return check_one(str(path), path.read_bytes(), settings)


def lines(result):
    return [(f.line, f.fix) for f in result.findings]


def test_cel702_follows_the_call_graph_to_the_dispatch(project):
    root, index = project
    result = run(root / "shop/services.py", "CEL702", index)
    assert lines(result) == [(5, "safe")]
    assert "runs inside `place_order()`'s atomic block" in result.findings[0].message
    assert "called from `shop.orders.place_order`" in result.findings[0].help
    # with its trailing comment the line is too long: wrapped as black wraps it
    assert (
        b"    transaction.on_commit(\n        partial(send_receipt.delay, order.id)\n"
        b"    )  # runs inside place_order's atomic block\n"
    ) in result.fixed


def test_cel702_is_quiet_without_the_index(project):
    root, _ = project
    assert run(root / "shop/services.py", "CEL702", None).findings == []


def test_cel703_reports_view_dispatches_under_atomic_requests(project):
    root, index = project
    assert index.atomic_requests is True
    result = run(root / "shop/views.py", "CEL703", index)
    assert lines(result) == [(10, "safe"), (25, None), (38, "safe")]
    assert b"transaction.on_commit(partial(send_receipt.delay, pk))" in result.fixed


def test_cel703_needs_atomic_requests(project):
    root, index = project
    index.atomic_requests = False
    assert run(root / "shop/views.py", "CEL703", index).findings == []
    assert run(root / "shop/views.py", "CEL703", None).findings == []
