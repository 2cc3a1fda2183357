"""The registry of every URL in the apps, for the scoping matrix and its guard.

Each URL name is either
* Scoped: it takes an object (or area) that belongs to one kecamatan; `build(world, kec)` returns
  (path, data) for an object of kecamatan `kec` ("pahandut", "jekanraya" or "selat"), creating it
  if needed. Users who may not see that kecamatan must get 404; users whose role may not use the
  URL get 403 (or 404); everyone else gets a success (2xx/3xx).
* Open: no object in the URL (module pages, lists, forms); every assigned user gets 2xx/3xx, or
  403 if their role may not use it. Lists are checked for leaks by their own tests.

Each module of this package contributes SCOPED and OPEN lists; a new URL that is in none makes
tests/tksk/test_scope_guard.py fail.
"""

import importlib
import pkgutil

from tests.matrix.base import ALL_ROLES, Open, Scoped  # noqa: F401

SCOPED: list = []
OPEN: list = []
for _info in pkgutil.iter_modules(__path__):
    if _info.name == "base":
        continue
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    SCOPED += getattr(_module, "SCOPED", [])
    OPEN += getattr(_module, "OPEN", [])

# URL names outside the apps' namespaces that must exist.
CORE = {"home", "healthz", "login", "logout", "password_change", "password_change_done"}
