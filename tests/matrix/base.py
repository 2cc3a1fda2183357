from collections.abc import Callable
from dataclasses import dataclass, field

ALL_ROLES = frozenset({"tksk", "kabupaten", "provinsi", "admin"})


@dataclass
class Scoped:
    name: str
    build: Callable
    method: str = "get"
    roles: frozenset = ALL_ROLES


@dataclass
class Open:
    name: str
    method: str = "get"
    roles: frozenset = ALL_ROLES
    kwargs: dict = field(default_factory=dict)
