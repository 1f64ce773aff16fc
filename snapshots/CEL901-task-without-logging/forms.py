import logging

import structlog
from celery import shared_task
from celery.utils.log import get_task_logger

task_logger = get_task_logger(__name__)
events = structlog.get_logger()


@shared_task
def silent(sku):
    item = load(sku)
    check(item)
    push(item)


@shared_task
def logs(sku):
    item = load(sku)
    push(item)
    task_logger.info("pushed %s", sku)


@shared_task
def logs_with_structlog(sku):
    item = load(sku)
    push(item)
    events.info("pushed", sku=sku)


def _helper(item):
    logging.getLogger(__name__).info("pushing %s", item)


@shared_task
def via_helper(sku):
    item = load(sku)
    check(item)
    _helper(item)


@shared_task
def trivial(sku):
    """One call: its callee logs, if anything does."""
    push(sku)


def not_a_task(sku):
    a = 1
    b = 2
    return a + b


@shared_task
def logs_through_a_method(sku):
    messages = check(sku)
    messages.log_messages()
    return messages.summary
