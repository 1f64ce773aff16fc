from django import forms
from rest_framework import serializers

from shop.tasks import index_order


class OrderForm(forms.ModelForm):
    def save(self, commit=True):
        order = super().save(commit)
        index_order.delay(order.pk)
        return order


class OrderSerializer(serializers.ModelSerializer):
    def save(self, **kwargs):
        order = super().save(**kwargs)
        index_order.delay(order.pk)
        return order


class Helper:
    def save(self):
        index_order.delay(1)


def save(order):
    index_order.delay(order.pk)
