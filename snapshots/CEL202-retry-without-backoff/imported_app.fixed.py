from shop.celery import app
from shop import celery_app


@app.task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
)
def export_report(report_id):
    pass


@celery_app.task(
    autoretry_for=(OSError,),
    ignore_result=True,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
)
def cleanup():
    pass
