"""The scoping rule, written once: who sees which records.

* A TKSK sees their kecamatan, Dinas Sosial kabupaten/kota their kabupaten, Dinas Sosial provinsi
  their province; an admin without an area sees everything.
* A user without an assignment, inactive or anonymous sees nothing.
* The area is read from the user row loaded on every request, never cached in the session, so a
  user moved to another kecamatan loses the old one on their next request.

Every scoped model uses `ScopedQuerySet` and declares `scope_path`, the lookup path from the model
to a `Wilayah` (usually its desa). Views, forms, filters, the API, dashboards and exports all start
from `Model.objects.for_user(user)`.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404

ADMIN = "admin"


def is_active_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def sees_everything(user) -> bool:
    return is_active_user(user) and user.role == ADMIN and user.wilayah_id is None


def user_area(user):
    """The Wilayah that bounds what the user sees, or None when they see nothing (or everything:
    check `sees_everything` first)."""
    if not is_active_user(user) or user.wilayah_id is None:
        return None
    return user.wilayah


def scope_q(model, user) -> Q | None:
    """The filter that limits `model` to the user's area; None means no limit (admin)."""
    if sees_everything(user):
        return None
    area = user_area(user)
    if area is None:
        return Q(pk__in=[])
    path = model.scope_path
    if area.tingkat == "desa":
        q = Q(**{path: area})
    else:
        # Every Wilayah row points to its ancestors and to itself at its own level.
        q = Q(**{f"{path}__{area.tingkat}": area})
    if getattr(model, "scope_include_ancestors", False):
        # Records registered at a higher level (a kabupaten's partner) are seen below it.
        ancestors = {area.provinsi_id, area.kabupaten_id, area.kecamatan_id} - {None, area.pk}
        if ancestors:
            q |= Q(**{f"{path}__in": ancestors})
    return q


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user):
        q = scope_q(self.model, user)
        return self if q is None else self.filter(q)


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass


def get_scoped_or_404(queryset, user, **lookup):
    """Fetch one object the user may see; another area's object is indistinguishable from a
    missing one."""
    if any(isinstance(v, str) and "\x00" in v for v in lookup.values()):
        raise Http404  # PostgreSQL text cannot hold NUL: no stored row can match
    try:
        return queryset.for_user(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, ValidationError):
        # A malformed id is as unknown as a missing one.
        raise Http404 from None
