"""Guards: a new URL or scoped model that nobody added to the scoping matrix fails the suite."""

import pytest
from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

from tests.matrix import CORE, OPEN, SCOPED
from tksk.models import Wilayah

GUARDED_NAMESPACES = {
    "tksk",
    "pendataan",
    "koordinasi",
    "laporan",
    "peta",
    "api",
    "sinkron",
    "tenaga",
}
GUARDED_MODEL_APPS = {"tksk", "pendataan", "koordinasi", "laporan", "peta", "sinkron", "tenaga"}
# Models that hold no area-bound data, with the reason.
UNSCOPED_MODELS = {
    "tksk.Wilayah": "the area tree itself; scoped by WilayahQuerySet.for_user",
    "tksk.KategoriPPKS": "reference data, same for everyone",
    "tksk.KategoriPSKS": "reference data, same for everyone",
    "tksk.AuditLog": "admin-only, append-only",
    "peta.BentukWilayah": "boundary shapes of the areas, public reference data like the area tree",
    "tenaga.AksesVerifikasi": "rate-limit log of the public certificate check; no personal data",
    "tksk.JobLease": "worker bookkeeping (job id, worker, heartbeat); no view or API shows it",
}


def _named_urls(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _named_urls(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name, namespace


def test_every_app_url_is_in_the_matrix():
    covered = {e.name for e in SCOPED} | {e.name for e in OPEN}
    missing = sorted(
        name for name, ns in _named_urls() if ns in GUARDED_NAMESPACES and name not in covered
    )
    assert not missing, f"URLs not covered by tests/matrix/: {missing}"
    stale = covered - {name for name, _ in _named_urls()}
    assert not stale, f"matrix names that no longer exist: {sorted(stale)}"
    assert {name for name, ns in _named_urls() if ns is None} >= CORE


def _resolves_to_wilayah(model, path: str) -> bool:
    current = model
    for part in path.split("__"):
        field = current._meta.get_field(part)
        if not isinstance(field, models.ForeignKey):
            return False
        current = field.related_model
    return current is Wilayah


@pytest.mark.parametrize(
    "model",
    [m for m in apps.get_models() if m._meta.app_label in GUARDED_MODEL_APPS],
    ids=lambda m: m._meta.label,
)
def test_every_model_declares_its_path_to_the_area(model):
    if model._meta.label in UNSCOPED_MODELS:
        return
    path = getattr(model, "scope_path", None)
    assert path, f"{model._meta.label} must declare scope_path (its path to a Wilayah)"
    assert _resolves_to_wilayah(model, path), f"{model._meta.label}.scope_path={path!r}"
    assert hasattr(model._default_manager, "for_user"), f"{model._meta.label} needs for_user"
