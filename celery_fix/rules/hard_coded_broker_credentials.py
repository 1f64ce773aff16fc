import re
from typing import Optional
from urllib.parse import urlsplit

import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.bindings import CELERY_APP_FACTORIES
from celery_fix.constructs.results import setting_nodes
from celery_fix.constructs.test_code import is_test_path
from celery_fix.index.evaluate import evaluate
from celery_fix.syntax.walk import walk

URL_SETTINGS = ("broker_url", "result_backend", "broker_read_url", "broker_write_url")
# a URL with a password has `user:password@host` right after `://` (no `/`, `?` or `#` before the
# `@`); quotes and line breaks may come between, in a concatenated literal
_USER_INFO = re.compile(rb"://[^/?#]{0,2000}?@")


def password_in(url: object) -> Optional[str]:
    """The URL's scheme when one of its `;`-separated URLs carries a password, else None."""
    if not isinstance(url, str):
        return None
    for part in url.split(";"):
        try:
            split = urlsplit(part.strip())
            password = split.password
        except ValueError:
            continue
        if (split.username, password) == ("guest", "guest"):
            continue  # RabbitMQ's built-in default user (accepted from localhost only): no secret
        if password and not password.startswith(("{", "$", "%(")):
            return split.scheme or "the"
    return None


class HardCodedBrokerCredentialsRule(rule.CeleryRule):
    """
    ## What it does
    Checks for a password written into a literal `broker_url`/`result_backend` URL
    (`CELERY_BROKER_URL = "amqp://user:secret@host//"`, `app.conf.broker_url = ...`,
    `Celery(broker="redis://:secret@host/0")`, `backend=`). A URL built from the environment
    (`os.environ[...]`, `env(...)`, an f-string of variables) is not reported, nor RabbitMQ's
    built-in `guest:guest` default, nor test code.

    ## Why is this bad?
    The broker password is in the repository, its history, every clone and CI log. Whoever has
    it can publish messages the workers execute (with `pickle`, arbitrary code: CEL603) and read
    every task's arguments and results. Rotating it means a code change and a deploy.

    ## Example
    ```python
    CELERY_BROKER_URL = "amqp://shop:s3cret@rabbit.internal:5672//"
    ```

    ## Use instead
    ```python
    CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
    ```

    ## Fix safety
    No fix: where the secret should come from (environment, a vault, a settings service) is a
    deployment decision.
    """

    CODE = "CEL604"
    NAME = "hard-coded-broker-credentials"
    MESSAGE = "password in a literal broker/backend URL"
    HELP = "read the URL (or the password) from the environment"
    FIX_KIND = "lint"
    SEVERITY = "error"
    TRIGGERS = (b"BROKER", b"broker", b"BACKEND", b"backend")
    SKIPS_TEST_CODE = True
    # in a definition only `Celery(broker=..., backend=...)` is read (settings are module-level
    # statements, never blanked), and only a literal URL is reported (`relevant` too takes `://`
    # as spelled): a definition holding both
    KEEP_WORDS = ((b"://", b"broker"), (b"://", b"backend"))

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        return (
            b"://" in source and b"@" in source and super().relevant(source, index, path)
            and _USER_INFO.search(source) is not None
        )

    VALID = [
        Valid('CELERY_BROKER_URL = "redis://localhost:6379/0"\n'),
        Valid('import os\n\nCELERY_BROKER_URL = os.environ.get("BROKER", "amqp://guest:guest@localhost//")\n'),
    ]
    INVALID = [
        Invalid('CELERY_BROKER_URL = "amqp://shop:s3cret@rabbit:5672//"\n'),
        Invalid('from celery import Celery\n\napp = Celery("shop", broker="redis://:hunter2@cache:6379/0")\n'),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        if is_test_path(self.context.path if self.context else ""):
            return
        for key in URL_SETTINGS:
            for _, value in setting_nodes(node, self.names, key):
                self._check(value, key)

        def enter(child: cst.CSTNode) -> bool:
            if isinstance(child, cst.Call) and self.names.resolve(child.func) in CELERY_APP_FACTORIES:
                for arg in child.args:
                    if arg.keyword is not None and arg.keyword.value in ("broker", "backend"):
                        self._check(arg.value, f"Celery({arg.keyword.value}=)")
            return True

        walk(node, enter)

    def _check(self, value: cst.BaseExpression, where: str) -> None:
        if not isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
            return
        scheme = password_in(evaluate(value, self.names.resolve))
        if scheme is not None:
            self.report(value, f"`{where}` holds a `{scheme}://` URL with a password written in the code")
