"""Home-page panels contributed by the apps, so the core never imports them.

An app registers a callable in its AppConfig.ready(); the home view calls each with the request
and renders the (template, context) pairs that are not None, in registration order.
"""

from collections.abc import Callable

_PANELS: list[Callable] = []


def register(panel: Callable) -> Callable:
    if panel not in _PANELS:
        _PANELS.append(panel)
    return panel


def render_panels(request) -> list[tuple[str, dict]]:
    return [p for p in (panel(request) for panel in _PANELS) if p is not None]
