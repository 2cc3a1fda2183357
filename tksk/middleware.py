"""Session lifetime and cache headers."""

import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

_LOGIN_AT = "tksk_login_at"
_SEEN_AT = "tksk_seen_at"
# Touch the session at most once a minute: idle tracking without a write on every request.
_TOUCH_EVERY = 60


class SessionLifetimeMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT without activity or SESSION_ABSOLUTE_LIFETIME
    after login, whichever comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            login_at = request.session.get(_LOGIN_AT)
            seen_at = request.session.get(_SEEN_AT, now)
            if login_at is None:
                request.session[_LOGIN_AT] = login_at = now
            expired = (
                now - seen_at > settings.SESSION_IDLE_TIMEOUT
                or now - login_at > settings.SESSION_ABSOLUTE_LIFETIME
            )
            if expired:
                # Only this session ends; the user's other devices are not affected.
                request.session.flush()
                request.user = AnonymousUser()
            elif now - seen_at >= _TOUCH_EVERY or _SEEN_AT not in request.session:
                request.session[_SEEN_AT] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages of a logged-in user may hold personal data: no cache (browser or proxy) keeps them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store"
        return response
