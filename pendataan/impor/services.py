"""The user's actions on an upload: store and queue it, confirm it, cancel it."""

import hashlib
import os
import uuid as uuidlib
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from pendataan.impor.berkas import baca_berkas
from pendataan.impor.lembar import BerkasDitolak
from pendataan.impor.pemrosesan import pernah_diimpor
from pendataan.impor.tasks import jalankan_impor
from pendataan.impor.unggahan import (
    Status,
    Unggahan,
    _kunci,
    _tulis_meta,
    bersihkan_kedaluwarsa,
    folder_impor,
    hapus,
    milik_cakupan,
    muat,
    pindah_status,
)
from pendataan.services import PERAN_PENDATA
from tksk.audit import catat


def terima(*, pelaku, uploaded, jenis: str) -> Unggahan:
    """Store a checked upload under a random name and queue its check. The header row is read
    now, so a wrong file is refused at once (BerkasDitolak) rather than in the background."""
    if not (pelaku.is_active and pelaku.role in PERAN_PENDATA):
        raise PermissionDenied
    bersihkan_kedaluwarsa()
    token = str(uuidlib.uuid4())
    path = folder_impor() / f"{token}.{jenis}"
    sha = hashlib.sha256()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        for chunk in uploaded.chunks():
            sha.update(chunk)
            f.write(chunk)
    try:
        lembar = baca_berkas(path, jenis)
    except BerkasDitolak:
        path.unlink(missing_ok=True)
        raise
    nama = Path(uploaded.name).name[:120]
    meta = {
        "user_id": pelaku.pk,
        "wilayah_id": pelaku.wilayah_id,
        "nama_berkas": nama,
        "jenis": jenis,
        "ukuran": path.stat().st_size,
        "sha256": sha.hexdigest(),
        "dibuat": timezone.now().isoformat(),
        "status": Status.ANTRI,
        "baris": {n: len(lb.baris) for n, lb in lembar.items()},
        "progres": {"selesai": 0, "total": 0},
    }
    for lb in lembar.values():
        if lb.pengodean != "utf-8":
            meta["pengodean"] = lb.pengodean
            meta["contoh_aksen"] = lb.contoh_aksen
    pernah = pernah_diimpor(meta["sha256"], pelaku.wilayah_id)
    if pernah:
        meta["pernah_diimpor"] = pernah.isoformat()
    _tulis_meta(token, meta)
    catat(
        aksi="impor_unggah",
        pelaku=pelaku,
        data={
            "token": token,
            "sha256": meta["sha256"],
            "berkas": nama,
            "ukuran": meta["ukuran"],
            "baris": meta["baris"],
        },
    )
    jalankan_impor.enqueue(token, "periksa")
    return Unggahan(token, meta)


def minta_simpan(*, pelaku, unggahan: Unggahan) -> bool:
    """Queue the confirmed import. False if the preview is not (or no longer) waiting for it."""
    if not milik_cakupan(unggahan, pelaku):
        raise PermissionDenied
    if not (unggahan.meta.get("ringkasan") or {}).get("bisa_disimpan"):
        return False
    berubah = pindah_status(
        unggahan.token, (Status.SIAP,), Status.ANTRI_SIMPAN, pengonfirmasi_id=pelaku.pk
    )
    if berubah is None:
        return False
    jalankan_impor.enqueue(unggahan.token, "simpan")
    return True


def batalkan(*, pelaku, unggahan: Unggahan) -> bool:
    if not milik_cakupan(unggahan, pelaku):
        raise PermissionDenied
    with _kunci(unggahan.token):
        terkini = muat(unggahan.token)
        if terkini is None or terkini.status in (Status.MENYIMPAN, Status.ANTRI_SIMPAN):
            return False
        hapus(terkini)
    catat(aksi="impor_batal", pelaku=pelaku, data={"token": unggahan.token})
    return True
