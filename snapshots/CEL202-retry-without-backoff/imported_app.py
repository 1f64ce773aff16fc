from shop.celery import app
from shop import celery_app


@app.task(autoretry_for=(OSError,))
def export_report(report_id):
    pass


@celery_app.task(autoretry_for=(OSError,), ignore_result=True)
def cleanup():
    pass
