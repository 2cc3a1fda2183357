"""Validators shared by every app: the phone number, and password rules beyond Django's (no
passwords built from the institution's own words)."""

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


def normalisasi_telepon(value) -> str:
    """Loose Indonesian phone check: 0… or +62… (62… is read as +62…), 8–15 digits; spaces,
    dots, dashes and brackets are dropped. "" for empty; ValidationError otherwise."""
    teks = "" if value is None else str(value).strip()
    if not teks:
        return ""
    bersih = "".join(ch for ch in teks if ch not in " .-()/\u00a0")
    if bersih.startswith("62"):
        bersih = "+" + bersih
    digits = bersih[1:] if bersih.startswith("+") else bersih
    if (
        not digits.isascii()
        or not digits.isdigit()
        or not (bersih.startswith("0") or bersih.startswith("+62"))
        or not 8 <= len(digits) <= 15
    ):
        raise ValidationError(
            {
                "telepon": (
                    "Nomor telepon diawali 0 atau +62 dan berisi 8–15 angka, "
                    "misalnya 081234567890 atau +6281234567890."
                )
            }
        )
    return bersih
