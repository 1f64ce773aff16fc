import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.handlers import handlers, is_broad, small_statements
from celery_fix.constructs.task_bodies import module_tasks, may_define_task


def _swallows(statement: cst.CSTNode) -> bool:
    if isinstance(statement, (cst.Pass, cst.Continue, cst.Break)):
        return True
    if isinstance(statement, cst.Return):
        value = statement.value
        return value is None or isinstance(value, (cst.Name, cst.Integer, cst.SimpleString)) and (
            not isinstance(value, cst.Name) or value.value in ("None", "False", "True"))
    return isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Ellipsis)


class SwallowedExceptionRule(rule.CeleryRule):
    """
    ## What it does
    Checks for `except:`, `except Exception:` or `except BaseException:` in a task whose handler
    only `pass`es, `continue`s, `break`s or `return`s a constant: no re-raise, no retry, no log.

    ## Why is this bad?
    The task then ends in state `SUCCESS` whatever went wrong: no retry, no failure in the
    result backend or Flower, nothing in the error tracker, nothing in the log. The work is
    silently not done, and the first sign is a user asking where it went.

    ## Example
    ```python
    @shared_task
    def sync(sku):
        try:
            push(sku)
        except Exception:
            pass
    ```

    ## Use instead
    ```python
    @shared_task
    def sync(sku):
        try:
            push(sku)
        except ConnectionError:
            logger.warning("push of %s failed, skipping", sku, exc_info=True)
    ```

    ## Fix safety
    No fix: whether to log, retry or fail is the author's choice. A handler that does anything
    else (assigns, calls a function, logs, raises) is not reported, nor a narrow `except`.
    """

    CODE = "CEL902"
    NAME = "swallowed-exception"
    MESSAGE = "broad `except` in a task that neither re-raises, retries nor logs: failures end in SUCCESS"
    HELP = "log it (`logger.exception(...)`), retry, or re-raise"
    TRIGGERS = (b"except",)
    KEEP_WORDS = ()  # handlers in task bodies only (kept by decorators / `run`)

    VALID = [
        Valid(
            """
            from celery import shared_task

            @shared_task
            def sync(sku):
                try:
                    push(sku)
                except Exception:
                    logger.exception("push failed")
            """
        ),
        Valid(
            """
            from celery import shared_task

            @shared_task
            def sync(sku):
                try:
                    push(sku)
                except KeyError:
                    pass  # narrow: a known, expected case
            """
        ),
        Valid(
            """
            def sync(sku):
                try:
                    push(sku)
                except Exception:
                    pass  # not a task
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from celery import shared_task

            @shared_task
            def sync(sku):
                try:
                    push(sku)
                except Exception:
                    pass
            """
        ),
        Invalid(
            """
            from proj.celery import app

            @app.task
            def sync_all(skus):
                for sku in skus:
                    try:
                        push(sku)
                    except:
                        continue
            """
        ),
    ]

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # only files that may define a task
        return super().relevant(source, index, path) and may_define_task(source, index)

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        context = self.context
        for task in module_tasks(node, self.names, context.index if context else None, context.path if context else ""):
            for handler in handlers(task.function):
                if not is_broad(handler, self.names):
                    continue
                statements = small_statements(handler)
                if statements and all(_swallows(s) for s in statements):
                    self.report(handler)
