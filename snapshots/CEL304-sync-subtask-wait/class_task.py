from celery import Task


class Report(Task):
    name = "shop.report"

    def run(self, ids):
        result = self.app.send_task("shop.compute", args=[ids])
        return result.get()
