"""Storage of an upload between the preview and the confirmation: the file, its metadata (a
JSON file beside it, shared by the web process and the worker) and the preview report."""

import fcntl
import json
import os
import time
import uuid as uuidlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from pendataan.services import PERAN_PENDATA
from tksk.models import Wilayah
from tksk.scoping import sees_everything

UMUR_UNGGAHAN = timedelta(hours=24)


def folder_impor() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "impor"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


class Status:
    ANTRI = "antri"  # waiting for the check
    MEMERIKSA = "memeriksa"
    SIAP = "siap"  # preview ready
    ANTRI_SIMPAN = "antri_simpan"
    MENYIMPAN = "menyimpan"
    SELESAI = "selesai"
    GAGAL = "gagal"

    BERJALAN = (ANTRI, MEMERIKSA, ANTRI_SIMPAN, MENYIMPAN)


@dataclass
class Unggahan:
    token: str
    meta: dict

    @property
    def berkas(self) -> Path:
        return folder_impor() / f"{self.token}.{self.meta['jenis']}"

    @property
    def status(self) -> str:
        return self.meta["status"]

    @property
    def dibuat(self) -> datetime:
        return datetime.fromisoformat(self.meta["dibuat"])

    @property
    def kedaluwarsa(self) -> datetime:
        return self.dibuat + UMUR_UNGGAHAN

    @property
    def berjalan(self) -> bool:
        return self.status in Status.BERJALAN


def _token_sah(token) -> str | None:
    try:
        return str(uuidlib.UUID(str(token)))
    except ValueError:
        return None


def _path_meta(token: str) -> Path:
    return folder_impor() / f"{token}.json"


@contextmanager
def _kunci(token: str):
    """Serialises read-modify-write of one upload's metadata between the web and the worker."""
    with open(folder_impor() / f"{token}.lock", "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _tulis_meta(token: str, meta: dict) -> None:
    path = _path_meta(token)
    sementara = path.with_suffix(".tmp")
    fd = os.open(sementara, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, default=str)
    os.replace(sementara, path)


def muat(token) -> Unggahan | None:
    token = _token_sah(token)
    if token is None:
        return None
    try:
        meta = json.loads(_path_meta(token).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    unggahan = Unggahan(token, meta)
    if timezone.now() > unggahan.kedaluwarsa:
        hapus(unggahan)
        return None
    return unggahan


def ubah(token: str, **perubahan) -> Unggahan | None:
    with _kunci(token):
        unggahan = muat(token)
        if unggahan is None:
            return None
        unggahan.meta.update(perubahan)
        _tulis_meta(token, unggahan.meta)
        return unggahan


def pindah_status(token: str, dari: tuple, ke: str, **perubahan) -> Unggahan | None:
    """Move the upload to status `ke` if it is in one of `dari` (a double click, or the worker
    and a second tab, cannot start the same step twice). None if it was not."""
    with _kunci(token):
        unggahan = muat(token)
        if unggahan is None or unggahan.status not in dari:
            return None
        unggahan.meta.update(status=ke, **perubahan)
        _tulis_meta(token, unggahan.meta)
        return unggahan


def hapus(unggahan: Unggahan, *, simpan_meta: bool = False) -> None:
    """Delete the uploaded file (and the preview with its personal data). With `simpan_meta` the
    metadata stays (counts only) until it expires, to show the result page."""
    folder = folder_impor()
    for ext in ("xlsx", "csv", "tmp", "laporan.json", "laporan.tmp"):
        (folder / f"{unggahan.token}.{ext}").unlink(missing_ok=True)
    if not simpan_meta:
        _path_meta(unggahan.token).unlink(missing_ok=True)
        (folder / f"{unggahan.token}.lock").unlink(missing_ok=True)


def bersihkan_kedaluwarsa() -> int:
    """Delete uploads older than 24 hours, whatever their state. Returns how many files went."""
    batas = time.time() - UMUR_UNGGAHAN.total_seconds()
    jumlah = 0
    for path in folder_impor().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < batas:
                path.unlink(missing_ok=True)
                jumlah += 1
        except FileNotFoundError:
            continue
    return jumlah


def milik_cakupan(unggahan: Unggahan, user) -> bool:
    """The upload belongs to the area of the user who made it; whoever may record data in that
    area may see and confirm it (the scoping rule, as for every other record)."""
    if not (user.is_active and user.role in PERAN_PENDATA):
        return False
    wilayah_id = unggahan.meta.get("wilayah_id")
    if wilayah_id is None:
        return sees_everything(user)
    return Wilayah.objects.for_user(user).filter(pk=wilayah_id).exists()


def untuk_pengguna(user, batas: int = 5) -> list[Unggahan]:
    """The user's own unfinished or recent uploads, newest first."""
    hasil = []
    for path in folder_impor().glob("*.json"):
        unggahan = muat(path.stem)
        if unggahan is not None and unggahan.meta.get("user_id") == user.pk:
            hasil.append(unggahan)
    hasil.sort(key=lambda u: u.meta["dibuat"], reverse=True)
    return hasil[:batas]


def _path_laporan(token: str) -> Path:
    return folder_impor() / f"{token}.laporan.json"


def baca_laporan(unggahan: Unggahan) -> dict:
    try:
        return json.loads(_path_laporan(unggahan.token).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def _tulis_laporan(token: str, laporan: dict) -> None:
    path = _path_laporan(token)
    sementara = path.with_suffix(".tmp")
    fd = os.open(sementara, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(laporan, f, ensure_ascii=False, default=str)
    os.replace(sementara, path)
