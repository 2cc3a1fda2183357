"""Password rules beyond Django's: no passwords built from the institution's own words."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Words everyone in the office would try first.
FORBIDDEN_WORDS = (
    "dinsos",
    "kemensos",
    "kalteng",
    "kalimantan",
    "palangkaraya",
    "tksk",
    "sosial",
    "password",
    "sandi",
    "rahasia",
)
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)


class ForbiddenWordsValidator:
    def __init__(self, words=FORBIDDEN_WORDS):
        self.words = tuple(words)

    def validate(self, password, user=None):
        normalised = re.sub(r"[^a-z]", "", password.lower().translate(_LEET))
        for word in self.words:
            if word in normalised:
                raise ValidationError(
                    _("Kata sandi tidak boleh memuat kata yang mudah ditebak seperti “%(word)s”.")
                    % {"word": word},
                    code="password_forbidden_word",
                )

    def get_help_text(self):
        return _(
            "Kata sandi tidak boleh memuat nama instansi atau daerah "
            "(misalnya dinsos, kemensos, kalteng)."
        )
