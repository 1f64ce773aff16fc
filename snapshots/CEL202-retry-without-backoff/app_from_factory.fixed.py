from celery import Celery


def create_application():
    application = Celery("shop")
    application.config_from_object("django.conf:settings", namespace="CELERY")
    return application


app = create_application()


@app.task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
)
def export_report(report_id):
    pass
