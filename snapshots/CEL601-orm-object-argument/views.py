from django.views.generic import DetailView

from shop.tasks import refresh


class OrderView(DetailView):
    def post(self, request, *args, **kwargs):
        refresh.delay(self.get_object())
        refresh.delay(self.request.user)
        return super().post(request, *args, **kwargs)


def save_form(form):
    obj = form.save()
    refresh.delay(obj)
