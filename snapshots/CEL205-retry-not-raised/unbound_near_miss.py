from celery import shared_task


class Jobs:
    def method(self):
        @shared_task
        def inner(sku):
            return sku
        self.retry()  # a method's own retry, outside any task


@shared_task
def unbound_with_self_param(self, sku):
    self.retry()  # `self` is a parameter here: not the unbound case
