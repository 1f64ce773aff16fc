from celery import Celery


def create_application():
    Celery("unused")
    return object()


app = create_application()


@app.task(autoretry_for=(OSError,))
def export_report(report_id):
    pass
