"""Versions on the wire: `ETag: W/"<uuid>-<versi>"` on answers, `If-Match` on changes, and the
fingerprint that tells a retried create from a clashing one."""

import base64
import hashlib
import json

from tksk.api.galat import PreconditionRequired


def etag(obj) -> str:
    return f'W/"{obj.uuid}-{obj.versi}"'


def versi_if_match(request, obj) -> int | None:
    """The version named by If-Match: None without the header, 0 (never a stored version, so
    the save is refused as stale) for an ETag of another record or version format."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return None
    if header == "*":
        raise PreconditionRequired(
            "If-Match: * tidak memuat versi. Kirim ETag dari jawaban sebelumnya atau kolom versi."
        )
    for tag in header.split(","):
        tag = tag.strip()
        tag = tag[2:] if tag.startswith("W/") else tag
        uid, _, versi = tag.strip('"').rpartition("-")
        if uid == str(obj.uuid) and versi.isascii() and versi.isdigit() and len(versi) <= 9:
            return int(versi)
    return 0


def sidik(body) -> str:
    """Fingerprint of a create request's body (key order and spacing do not matter)."""
    teks = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return "sha256:" + base64.b64encode(hashlib.sha256(teks.encode()).digest()).decode()
