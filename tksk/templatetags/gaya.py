"""{% gaya_halaman %}: the page's stylesheets, inline on a first visit (see tksk/gaya.py)."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from tksk.gaya import BERKAS, gaya, perlu_sebaris

register = template.Library()


@register.simple_tag(takes_context=True)
def gaya_halaman(context):
    request = context.get("request")
    if request is None or not perlu_sebaris(request):
        return format_html_join(
            "\n", '<link rel="stylesheet" href="{}">', ((static(n),) for n in BERKAS)
        )
    g = gaya()
    request._gaya_sebaris = g  # the middleware adds its hash to the CSP and sets the cookie
    prefetch = format_html_join(
        "\n", '<link rel="prefetch" href="{}" as="style">', ((static(n),) for n in BERKAS)
    )
    # The CSS is the project's own files (never user data, and checked to hold no "</"):
    # escaping would break it inside <style>, where entities are not decoded.
    return mark_safe(f"<style>{g.css}</style>\n{prefetch}")  # noqa: S308  # nosec B308 B703
