"""What counts as Django view code (CEL403, CEL703): classes based on Django's or DRF's views."""

from __future__ import annotations

from typing import Callable, Optional

import libcst as cst

from celery_fix.constructs.names import dotted_name

VIEW_BASE_PREFIXES = ("django.views", "rest_framework.views", "rest_framework.viewsets", "rest_framework.generics",
                      "rest_framework.mixins")
# a project's own base views (`class BaseAPIView(APIView)`) live in other modules: go by the name
VIEW_BASE_SUFFIXES = ("View", "ViewSet", "APIView", "GenericAPIView", "ViewSetMixin")


def is_view_class(klass: cst.ClassDef, resolve: Callable[[cst.BaseExpression], Optional[str]]) -> bool:
    for base in klass.bases:
        qualname = resolve(base.value) or ""
        if qualname.startswith(VIEW_BASE_PREFIXES):
            return True
        written = (dotted_name(base.value) or "").rsplit(".", 1)[-1]
        if written.endswith(VIEW_BASE_SUFFIXES):
            return True
    return False
