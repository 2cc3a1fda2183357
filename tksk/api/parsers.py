"""The API's JSON parser: a hostile body is a 400, never a server error.

DRF reads the body as a stream, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE check, and Python's
json module raises RecursionError (a 500) on deep enough nesting; this parser bounds the size,
the encoding and the depth itself."""

import json
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _tolak_konstanta(nama):
    raise ValueError(f"{nama} bukan nilai JSON")


def kedalaman_lebih(obj, batas: int) -> bool:
    """Whether containers nest deeper than `batas` (iterative: no recursion to exhaust)."""
    tumpukan = [(obj, 1)]
    while tumpukan:
        nilai, tingkat = tumpukan.pop()
        if isinstance(nilai, dict):
            anak: Iterable = nilai.values()
        elif isinstance(nilai, list):
            anak = nilai
        else:
            continue
        if tingkat > batas:
            return True
        tumpukan.extend((a, tingkat + 1) for a in anak if isinstance(a, (dict, list)))
    return False


class JSONAman(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        batas = settings.API_BATAS_BADAN
        data = stream.read(batas + 1)
        if len(data) > batas:
            raise ParseError(
                _("Isi permintaan terlalu besar (batas %(n)s KB).") % {"n": batas // 1024},
                code="terlalu_besar",
            )
        try:
            teks = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError(
                _("Isi permintaan bukan teks UTF-8 yang valid."), code="bukan_utf8"
            ) from None
        try:
            hasil = json.loads(teks, parse_constant=_tolak_konstanta)
        except RecursionError:
            hasil = None
            terlalu_dalam = True
        except ValueError:
            raise ParseError(
                _("Isi permintaan bukan JSON yang valid."), code="bukan_json"
            ) from None
        else:
            terlalu_dalam = kedalaman_lebih(hasil, settings.API_BATAS_KEDALAMAN)
        if terlalu_dalam:
            raise ParseError(
                _("Isi permintaan bersarang terlalu dalam (batas %(n)s tingkat).")
                % {"n": settings.API_BATAS_KEDALAMAN},
                code="terlalu_dalam",
            )
        return hasil
