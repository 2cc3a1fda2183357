"""URLs of the REST API v1, the OpenAPI schema and its documentation.

Each app contributes through an optional `<app>/api.py` that defines `register(router)` (viewsets)
and/or `urlpatterns` (plain views), so the core never lists the apps' resources itself.
"""

import importlib
import importlib.util

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from tksk.api.views import (
    PerangkatBaruView,
    TokenRevokeView,
    TokenView,
    WilayahViewSet,
    api_view_exempt,
)

APPS_WITH_API = ["pendataan", "koordinasi", "laporan", "sinkron", "tenaga"]

router = DefaultRouter(trailing_slash=True)
router.register("wilayah", WilayahViewSet, basename="wilayah")
extra = []
for app in APPS_WITH_API:
    if importlib.util.find_spec(f"{app}.api") is None:
        continue
    module = importlib.import_module(f"{app}.api")
    if hasattr(module, "register"):
        module.register(router)
    extra += getattr(module, "urlpatterns", [])

v1 = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/perangkat/", PerangkatBaruView.as_view(), name="perangkat-create"),
    path("auth/token/cabut/", TokenRevokeView.as_view(), name="token-revoke"),
    *extra,
    path("", include(router.urls)),
]

urlpatterns = api_view_exempt(
    [
        path("v1/", include((v1, "api"), namespace="api")),
        path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
        path(
            "docs/",
            SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
            name="api-docs",
        ),
    ]
)
