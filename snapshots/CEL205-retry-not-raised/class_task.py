from celery import Celery

app = Celery("proj")


class Export(app.Task):
    def run(self, x):
        if not x:
            self.retry(countdown=3)
        return x


app.register_task(Export())
