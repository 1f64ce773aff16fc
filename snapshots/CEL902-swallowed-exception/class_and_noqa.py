from celery import Celery

app = Celery("proj")


class Export(app.Task):
    def run(self, rows):
        for row in rows:
            try:
                write(row)
            except (ValueError, Exception):
                ...


@app.task
def silenced(sku):
    try:
        push(sku)
    except Exception:  # noqa: CEL902
        pass
