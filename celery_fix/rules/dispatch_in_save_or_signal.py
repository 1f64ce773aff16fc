from typing import Optional

import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import dispatch_base as dispatch_rule
from celery_fix.ruleset import base as rule
from celery_fix.constructs.dispatch import Dispatch
from celery_fix.constructs.names import dotted_name
from celery_fix.constructs.signals import MODEL_SIGNALS, RECEIVER

SIGNALS = MODEL_SIGNALS
SAVE_OR_SIGNAL_WORDS = (b"def save", b"def delete", b"pre_save", b"post_save", b"pre_delete", b"post_delete",
                        b"m2m_changed")
MODEL_BASES = frozenset({"django.db.models.Model", "django.db.models.base.Model"})
# bases that end in "Model" but are not models
NOT_MODEL_PREFIXES = ("django.forms", "rest_framework", "django.contrib.admin", "graphene", "pydantic")


class DispatchInSaveOrSignalRule(dispatch_rule.DispatchRuleMixin, rule.CeleryRule):
    """
    ## What it does
    Checks for tasks sent from a Django model's `save()`/`delete()` override, or from a receiver
    of `pre_save`/`post_save`/`pre_delete`/`post_delete`/`m2m_changed`: connected with
    `@receiver(...)`, with `signal.connect(handler)` anywhere in the project (an app's `ready()`
    too), or through one project helper (a decorator factory returning `receiver(signal, ...)`,
    a function or decorator calling `signal.connect` on the handler it is given). Without the
    project index (plain Fixit, one file) only the file's own `@receiver` and `.connect` count.

    ## Why is this bad?
    These run inside whatever transaction the caller holds: deletes and m2m changes always do,
    saves whenever the caller is atomic (the admin, `ATOMIC_REQUESTS`, service code). The worker
    can then run the task before the commit and not find the row, or run it although the
    transaction rolls back.

    ## Example
    ```python
    @receiver(post_save, sender=Order)
    def order_saved(sender, instance, created, **kwargs):
        send_receipt.delay(instance.pk)
    ```

    ## Use instead
    ```python
    @receiver(post_save, sender=Order)
    def order_saved(sender, instance, created, **kwargs):
        transaction.on_commit(partial(send_receipt.delay, instance.pk))
    ```

    ## Fix safety
    Safe: outside a transaction `on_commit` runs the callback at once, so nothing changes there,
    and inside one the task is sent after the commit. Arguments are evaluated now (`partial`);
    `on-commit-style` applies as for CEL701. Unsafe when the function can raise after the
    dispatch; no fix when the dispatch's value is used. A dispatch inside an atomic block is
    CEL701's, not reported here.
    Tests change: inside Django's `TestCase` (or pytest-django's `django_db` without
    `transaction=True`) nothing commits, so after the fix the task is not sent there; a test
    that expects it wraps the call in `with self.captureOnCommitCallbacks(execute=True):`
    (pytest-django: the `django_capture_on_commit_callbacks` fixture) or uses
    `TransactionTestCase`. Fixed statements are wrapped at the project's line length, and the
    imports go where its import sorter puts them.
    """

    CODE = "CEL704"
    NAME = "dispatch-in-save-or-signal"
    MESSAGE = "task sent from a model's `save()`/`delete()` or a model signal receiver"
    HELP = "send it from `transaction.on_commit()`"
    FIX_TITLE = "Send the task from `transaction.on_commit(partial(...))`"
    FIX_KIND = "safe/unsafe"
    SEVERITY = "error"
    TRIGGERS = dispatch_rule.DISPATCH_TRIGGERS
    KEEP_WORDS = dispatch_rule.DISPATCH_KEEP_WORDS

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # a dispatch and a save()/delete() override or a model signal (which a receiver names)
        if not super().relevant(source, index, path):
            return False
        if any(word in source for word in SAVE_OR_SIGNAL_WORDS):
            return True
        # a handler connected in another module (`post_save.connect(handler)` in apps.py)
        receivers = getattr(index, "signal_receivers", None)
        if not receivers or path is None or not hasattr(index, "module_name"):
            return False
        module = index.module_name(path)
        return any(q.startswith(module + ".") and signal in SIGNALS.values() for q, signal in receivers.items())
    OPTIONS = dict(dispatch_rule.OPTIONS)

    VALID = [
        Valid(
            """
            from functools import partial
            from django.db import models, transaction
            from shop.tasks import index_order

            class Order(models.Model):
                def save(self, *args, **kwargs):
                    super().save(*args, **kwargs)
                    transaction.on_commit(partial(index_order.delay, self.pk))
            """
        ),
        Valid(
            """
            from django.db.models.signals import post_migrate
            from django.dispatch import receiver
            from shop.tasks import warm_cache

            @receiver(post_migrate)
            def migrated(sender, **kwargs):
                warm_cache.delay()
            """
        ),
        Valid(
            """
            from django import forms
            from shop.tasks import index_order

            class OrderForm(forms.ModelForm):
                def save(self, commit=True):
                    order = super().save(commit)
                    index_order.delay(order.pk)
                    return order
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from functools import partial
            from django.db import models, transaction
            from shop.tasks import index_order

            class Order(models.Model):
                def save(self, *args, **kwargs):
                    super().save(*args, **kwargs)
                    index_order.delay(self.pk)
            """,
            expected_replacement="""
            from functools import partial
            from django.db import models, transaction
            from shop.tasks import index_order

            class Order(models.Model):
                def save(self, *args, **kwargs):
                    super().save(*args, **kwargs)
                    transaction.on_commit(partial(index_order.delay, self.pk))
            """,
        ),
        Invalid(
            """
            from django.db.models.signals import post_delete
            from django.dispatch import receiver
            from shop.tasks import purge

            @receiver(post_delete, sender="shop.Order")
            def deleted(sender, instance, **kwargs):
                purge.delay(instance.pk)
            """,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        self._connected: set[str] = set()  # module-level functions passed to `<signal>.connect`
        self._pending: list[tuple[str, Dispatch, Optional[cst.Expr], cst.FunctionDef]] = []

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "connect":
            signal = SIGNALS.get(self.tracker.resolve(func.value) or "")
            handler = next((a.value for a in node.args if a.keyword is None or a.keyword.value == "receiver"), None)
            if signal and isinstance(handler, cst.Name):
                self._connected.add(handler.value)
        super().visit_Call(node)

    def check_dispatch(self, dispatch: Dispatch, statement: Optional[cst.Expr]) -> None:
        if self.tracker.atomic_context() is not None:
            return  # CEL701 reports it
        function = self.tracker.enclosing_function()
        if function is None:
            return
        node = function.node
        where = None
        klass = self.tracker.enclosing_class_of(function)
        if klass is not None and node.name.value in ("save", "delete") and self._is_model(klass):
            where = f"`{klass.name.value}.{node.name.value}()` (inside the caller's transaction)"
        elif klass is None:
            signals = self._receiver_signals(node)
            if signals:
                where = f"a `{'`/`'.join(signals)}` receiver (inside the caller's transaction)"
            elif self.tracker.frames and self.tracker.frames[0] is function:
                self._pending.append((node.name.value, dispatch, statement, node))
                return
        if where is not None:
            self._report(dispatch, statement, node, where)

    def leave_Module(self, original_node: cst.Module) -> None:
        receivers = getattr(self.index, "signal_receivers", None) or {}
        module = self.names.module_name
        for name, dispatch, statement, function in self._pending:
            if name in self._connected:
                self._report(dispatch, statement, function, "a model signal receiver (connected with `.connect()`)")
            elif module and receivers.get(f"{module}.{name}") in SIGNALS.values():
                signal = receivers[f"{module}.{name}"]
                helper = (getattr(self.index, "receiver_helpers", None) or {}).get(f"{module}.{name}")
                how = f"registered through `{helper.rsplit('.', 1)[-1]}()`" if helper else "connected elsewhere"
                self._report(dispatch, statement, function, f"a `{signal}` receiver {how}",
                             help="send it from `transaction.on_commit()`: the receiver runs inside the caller's "
                                  "transaction")

    def _report(self, dispatch: Dispatch, statement, function: cst.FunctionDef, where: str,
                help: Optional[str] = None) -> None:
        message = f"`{dispatch_rule.snippet(dispatch.call.func)}(...)` in {where}"
        self.report_dispatch(dispatch, statement, message, function, help=help)

    def _receiver_signals(self, function: cst.FunctionDef) -> list[str]:
        found: list[str] = []
        for decorator in function.decorators:
            call = decorator.decorator
            if not isinstance(call, cst.Call) or self.tracker.resolve(call.func) not in RECEIVER or not call.args:
                continue
            first = call.args[0].value
            candidates = [e.value for e in first.elements] if isinstance(first, (cst.List, cst.Tuple)) else [first]
            for candidate in candidates:
                signal = SIGNALS.get(self.tracker.resolve(candidate) or "")
                if signal and signal not in found:
                    found.append(signal)
        return found

    def _is_model(self, klass: cst.ClassDef) -> bool:
        for base in klass.bases:
            qualname = self.tracker.resolve(base.value) or ""
            if qualname in MODEL_BASES:
                return True
            if qualname.startswith(NOT_MODEL_PREFIXES):
                continue
            written = dotted_name(base.value) or ""
            last = written.rsplit(".", 1)[-1]
            if last.endswith("Model") and not last.endswith(("ModelForm", "ModelSerializer", "ModelAdmin")):
                return True
        # a project base we cannot see: a model if its body declares Django model fields
        return any(self._is_field(statement) for statement in klass.body.body)

    def _is_field(self, statement: cst.CSTNode) -> bool:
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        for small in statement.body:
            value = getattr(small, "value", None)
            if isinstance(small, (cst.Assign, cst.AnnAssign)) and isinstance(value, cst.Call):
                qualname = self.tracker.resolve(value.func) or ""
                if qualname.startswith("django.db.models.") and qualname.rsplit(".", 1)[-1][:1].isupper():
                    return True
        return False
