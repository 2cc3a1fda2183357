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
    # Endpoints whose answer depends on what is posted (credentials): the matrix only checks that
    # they never fail with a server error; their own tests check the rest.
    expect_any: bool = False
