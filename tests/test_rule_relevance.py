"""Rules' relevance tests (`CeleryRule.relevant`): a file they say no to is never parsed for the
rule, so each must say yes wherever the rule reports, and no to the look-alikes that made real
projects parse whole modules for nothing (paperless-ngx: `pickle.dumps`, `timeout=settings.
CELERY_TASK_TIME_LIMIT`, a docs URL next to a decorator)."""

from __future__ import annotations

import textwrap

import pytest

from celery_fix.engine.checker import check_one
from celery_fix.rules.hard_coded_broker_credentials import (
    HardCodedBrokerCredentialsRule,
)
from celery_fix.rules.pickle_serializer import PickleSerializerRule
from celery_fix.rules.soft_limit_not_below_hard import SoftLimitNotBelowHardRule
from tests.snapshot_harness import settings_for

REPORTED = [
    (HardCodedBrokerCredentialsRule, 'CELERY_BROKER_URL = "amqp://shop:s3cret@rabbit:5672//"\n'),
    (HardCodedBrokerCredentialsRule, 'from celery import Celery\n\napp = Celery("x", broker="redis://:pw@cache:6379/0")\n'),
    (HardCodedBrokerCredentialsRule, 'CELERY_BROKER_URL = (\n    "amqp://shop:"\n    "s3cret@rabbit//"\n)\n'),
    (PickleSerializerRule, 'CELERY_TASK_SERIALIZER = "pickle"\n'),
    (PickleSerializerRule, "CELERY_ACCEPT_CONTENT = [u'application/x-python-serialize']\n"),
    (PickleSerializerRule, 'from celery import shared_task\n\n@shared_task(serializer="""pickle""")\ndef f(): ...\n'),
    (SoftLimitNotBelowHardRule, "CELERY_TASK_TIME_LIMIT = 0\n"),
    (SoftLimitNotBelowHardRule, "CELERY_TASK_SOFT_TIME_LIMIT: int = 60\nCELERY_TASK_TIME_LIMIT = 30\n"),
    (SoftLimitNotBelowHardRule, "from x import app\n\napp.conf.update(task_time_limit=0)\n"),
    (SoftLimitNotBelowHardRule, "from celery import shared_task\n\n@shared_task(soft_time_limit=9, time_limit=5)\ndef f(): ...\n"),
]

NOT_RELEVANT = [
    (HardCodedBrokerCredentialsRule, '"""See https://docs.celeryq.dev/ for the broker."""\n\n@decorate\ndef f(): ...\n'),
    (HardCodedBrokerCredentialsRule, 'CELERY_BROKER_URL = "redis://localhost:6379/0"\n\n@decorate\ndef f(): ...\n'),
    (PickleSerializerRule, "import pickle\n\ndata = pickle.dumps(1)\npath = 'model.pickle.part'\n"),
    (SoftLimitNotBelowHardRule, "from django.conf import settings\n\nrun(timeout=settings.CELERY_TASK_TIME_LIMIT)\n"),
]


@pytest.mark.parametrize("rule, code", REPORTED)
def test_relevant_where_the_rule_reports(rule, code, tmp_path):
    source = code.encode()
    assert rule.relevant(source, None, "settings.py")
    path = tmp_path / "settings.py"
    path.write_bytes(source)
    result = check_one(str(path), source, settings_for(rule.CODE))
    assert [f.code for f in result.findings] == [rule.CODE] * len(result.findings) and result.findings


@pytest.mark.parametrize("rule, code", NOT_RELEVANT)
def test_not_relevant_on_look_alikes(rule, code):
    source = textwrap.dedent(code).encode()
    assert rule.TRIGGERS and any(word in source for word in rule.TRIGGERS)  # the old test said yes
    assert not rule.relevant(source, None, "module.py")


def test_names_defined_finds_every_def_and_class():
    from celery_fix.constructs.tasks import names_defined

    source = b"def a():\n    class B(object): pass\nasync  def c(): ...\nclass\tD: ...\nundefined = e\n"
    assert names_defined(source) == {b"a", b"B", b"c", b"D"}
