from celery import shared_task


@shared_task
def reraises(sku):
    try:
        push(sku)
    except Exception:
        raise


@shared_task
def returns_a_value(sku):
    try:
        return push(sku)
    except Exception:
        return fallback(sku)


@shared_task
def shadowed_exception(sku):
    try:
        push(sku)
    except Exception:  # a project class named Exception
        pass


from shop.errors import Exception  # noqa: E402
