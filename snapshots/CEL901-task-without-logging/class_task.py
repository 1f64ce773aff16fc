from celery import Task


class Sync(Task):
    def run(self, sku):
        item = load(sku)
        check(item)
        push(item)


class Logged(Task):
    def run(self, sku):
        item = load(sku)
        push(item)
        self.logger.info("pushed %s", sku)
