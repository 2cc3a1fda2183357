"""Referrals (Rujukan): numbering, sending, status changes, and the partner's link token."""

import base64
import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from koordinasi.models import (
    TRANSISI_RUJUKAN,
    Mitra,
    NomorRujukan,
    RiwayatRujukan,
    Rujukan,
    StatusRujukan,
    Urgensi,
)
from koordinasi.services.umum import (
    AWAL_DATA,
    _cek_peran,
    _Galat,
    _nilai,
    _teks,
)
from pendataan.models import PPKS, StatusPenanganan
from tksk.audit import catat
from tksk.kapabilitas import boleh
from tksk.konkurensi import cek_versi
from tksk.models import Role, User, Wilayah
from tksk.uuid_klien import kunci_uuid, uuid_sah, yang_tersimpan

TAUTAN_BERLAKU_HARI = 60
BULAN_ROMAWI = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def batas_hari_rujukan() -> int:
    """Days after which a referral still "dikirim" counts as unanswered (RUJUKAN_BATAS_HARI)."""
    return int(getattr(settings, "RUJUKAN_BATAS_HARI", 7))


def _nomor_berikut(kecamatan: Wilayah, tahun: int) -> int:
    """The next number of the kecamatan's referrals this year, under a row lock."""
    NomorRujukan.objects.bulk_create(
        [NomorRujukan(kecamatan=kecamatan, tahun=tahun)], ignore_conflicts=True
    )
    baris = NomorRujukan.objects.select_for_update().get(kecamatan=kecamatan, tahun=tahun)
    baris.terakhir += 1
    baris.save(update_fields=["terakhir"])
    return baris.terakhir


def format_nomor(urut: int, kecamatan: Wilayah, tanggal: date) -> str:
    """e.g. 001/RUJ/62.71.01/XI/2026"""
    return f"{urut:03d}/RUJ/{kecamatan.kode}/{BULAN_ROMAWI[tanggal.month - 1]}/{tanggal.year}"


def token_tautan(rujukan: Rujukan) -> str:
    """The partner link's token: 256 bits derived from the referral's random salt and the
    server's SECRET_KEY. Only its SHA-256 is stored, so the database alone (a leaked dump)
    gives no working link, while the letter can be printed again with the same link."""
    mac = salted_hmac(
        "koordinasi.rujukan.tautan-mitra",
        f"{rujukan.uuid}:{rujukan.token_garam}",
        algorithm="sha256",
    )
    return _b64(mac.digest())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _pasang_token(rujukan: Rujukan) -> None:
    rujukan.token_garam = secrets.token_urlsafe(32)
    rujukan.token_hash = hash_token(token_tautan(rujukan))


def pastikan_token(rujukan: Rujukan) -> str:
    """The current token of an open referral. After a SECRET_KEY rotation the derived token no
    longer matches the stored hash: a new one is issued (old printed links stop working)."""
    token = token_tautan(rujukan)
    if rujukan.token_hash != hash_token(token) and not rujukan.tertutup:
        with transaction.atomic():
            _pasang_token(rujukan)
            Rujukan.objects.filter(pk=rujukan.pk).update(
                token_garam=rujukan.token_garam, token_hash=rujukan.token_hash
            )
        token = token_tautan(rujukan)
    return token


def tautan_berlaku(rujukan: Rujukan, *, sekarang=None) -> bool:
    sekarang = sekarang or timezone.now()
    return (
        not rujukan.tertutup
        and rujukan.tautan_berlaku_sampai is not None
        and sekarang < rujukan.tautan_berlaku_sampai
    )


def _ubah_penanganan(*, pelaku, ppks: PPKS, status: str, catatan: str) -> bool:
    """Move the PPKS handling status through the pendataan service (which records its history).
    Returns False when no user in the record's chain could do it (see rujukan_ubah_status)."""
    from pendataan.services_ppks import ppks_ubah_penanganan

    ppks.refresh_from_db(fields=["status_penanganan", "versi"])
    if ppks.status_penanganan == status:
        return True
    ppks_ubah_penanganan(pelaku=pelaku, ppks=ppks, status=status, catatan=catatan)
    return True


def rujukan_kirim(*, pelaku, ppks: PPKS, mitra: Mitra, data: dict, uuid=None) -> Rujukan:
    """Send a referral: number it, issue its partner link, record the first step, and mark the
    PPKS record "dirujuk". `uuid`: the client's uuid; a referral with it in the user's reach is
    returned as stored (no second number, no second letter)."""
    from pendataan.selectors_ppks import ppks_visible

    _cek_peran(pelaku, "koordinasi.rujuk")
    uid = uuid_sah(uuid)
    with transaction.atomic():
        if uid is not None:
            kunci_uuid(uid)
            ada = yang_tersimpan(Rujukan.objects.for_user(pelaku), Rujukan, uid)
            if ada is not None:
                return ada
        target = ppks_visible(pelaku).select_related("desa__kecamatan").filter(pk=ppks.pk).first()
        if target is None:
            raise PermissionDenied("Data tidak ditemukan di wilayah tugas Anda.")
        tanggal = _cek_rujukan(pelaku, target, mitra, data) or timezone.localdate()
        kecamatan = target.desa.kecamatan
        urut = _nomor_berikut(kecamatan, tanggal.year)
        obj = Rujukan(
            nomor=format_nomor(urut, kecamatan, tanggal),
            nomor_urut=urut,
            tahun=tanggal.year,
            kecamatan=kecamatan,
            ppks=target,
            desa=target.desa,
            mitra=mitra,
            alasan=_teks(data.get("alasan")),
            layanan=_teks(data.get("layanan")),
            urgensi=data.get("urgensi") or Urgensi.BIASA,
            tanggal_kirim=tanggal,
            penandatangan_nama=(data.get("penandatangan_nama") or "").strip()
            or pelaku.get_full_name()
            or pelaku.username,
            penandatangan_jabatan=(data.get("penandatangan_jabatan") or "").strip()
            or pelaku.jabatan,
            penandatangan_nip=(data.get("penandatangan_nip") or "").strip(),
            tautan_berlaku_sampai=timezone.now() + timedelta(days=TAUTAN_BERLAKU_HARI),
            dibuat_oleh=pelaku,
            diubah_oleh=pelaku,
        )
        if uid is not None:
            obj.uuid = uid
        _pasang_token(obj)
        obj.save()
        RiwayatRujukan.objects.create(
            rujukan=obj,
            status_ke=StatusRujukan.DIKIRIM,
            tanggal=tanggal,
            catatan=(data.get("catatan") or "").strip(),
            pelaku=pelaku,
        )
        _ubah_penanganan(
            pelaku=pelaku,
            ppks=target,
            status=StatusPenanganan.DIRUJUK,
            catatan=f"Dirujuk ke {mitra.nama} (surat {obj.nomor}).",
        )
        catat(aksi="rujukan_kirim", pelaku=pelaku, objek=obj, data={"mitra": mitra.nama})
    return obj


def _cek_rujukan(pelaku, ppks: PPKS, mitra: Mitra, data: dict) -> date | None:
    """A new referral's rules, every wrong field at once: an open PPKS record, an active
    partner in reach, the reason and the service asked for, a known urgency, a letter date
    of this app's time (the entry window is cek_tanggal_surat). Returns the letter's date."""
    galat = _Galat()
    if ppks.status_penanganan == StatusPenanganan.SELESAI:
        galat.tambah("ppks", "Penanganan PPKS ini sudah selesai.")
    if not Mitra.objects.for_user(pelaku).filter(pk=mitra.pk, aktif=True).exists():
        galat.tambah("mitra", "Pilih mitra aktif di wilayah tugas Anda.")
    if not _teks(data.get("alasan")):
        galat.tambah("alasan", "Tuliskan alasan rujukan.")
    if not _teks(data.get("layanan")):
        galat.tambah("layanan", "Tuliskan layanan yang dibutuhkan.")
    if (data.get("urgensi") or Urgensi.BIASA) not in Urgensi.values:
        galat.tambah("urgensi", "Pilih tingkat urgensi.")
    try:
        tanggal = _nilai(Rujukan, "tanggal_kirim", data.get("tanggal_kirim"))
    except ValidationError:
        tanggal = False  # neither empty nor a date
    if tanggal is False or (tanggal is not None and tanggal < AWAL_DATA):
        galat.tambah("tanggal_kirim", "Periksa tanggal surat.")
    galat.periksa()
    return tanggal


def _pelaku_ppks(rujukan: Rujukan, pelaku):
    """Who the PPKS history names for a step: the acting user, or for a step made by the
    partner, the referral's sender (or the kecamatan's current TKSK when the sender left)."""
    from pendataan.selectors_ppks import ppks_visible

    if pelaku is not None:
        return pelaku
    kandidat = [
        rujukan.dibuat_oleh,
        *User.objects.filter(role=Role.TKSK, wilayah=rujukan.kecamatan, is_active=True).order_by(
            "pk"
        ),
    ]
    for user in kandidat:
        if (
            user is not None
            and boleh(user, "koordinasi.rujuk")
            and ppks_visible(user).filter(pk=rujukan.ppks_id).exists()
        ):
            return user
    return None


def rujukan_ubah_status(
    *,
    rujukan: Rujukan,
    ke: str,
    tanggal: date | None = None,
    catatan: str = "",
    pelaku=None,
    oleh_mitra: bool = False,
    nama_pengisi: str = "",
    versi=None,
    request=None,
) -> Rujukan:
    """Record the next step of a referral, by a user (pelaku) or by the partner through the
    partner link (oleh_mitra=True, pelaku=None). The PPKS handling status follows: "selesai"
    closes it; a refusal returns it to "dalam penanganan" unless another referral is open."""
    if not oleh_mitra:
        _cek_peran(pelaku, "koordinasi.rujuk")
    hari_ini = timezone.localdate()
    with transaction.atomic():
        if oleh_mitra:
            qs = Rujukan.objects.all()
        else:
            qs = Rujukan.objects.for_user(pelaku)
        obj = (
            qs.select_for_update(of=("self",))
            .select_related("ppks", "kecamatan", "dibuat_oleh", "mitra")
            .filter(pk=rujukan.pk)
            .first()
        )
        if obj is None:
            raise PermissionDenied("Data tidak ditemukan di wilayah tugas Anda.")
        if oleh_mitra and not tautan_berlaku(obj):
            raise PermissionDenied("Tautan rujukan ini sudah tidak berlaku.")
        cek_versi(obj, versi)
        if ke not in StatusRujukan.values:
            raise ValidationError({"status": ValidationError("Pilih status rujukan.", "pilihan")})
        if ke not in TRANSISI_RUJUKAN[StatusRujukan(obj.status)]:
            # Code "transisi": the API answers this one with 409 and the current record.
            raise ValidationError(
                {
                    "status": ValidationError(
                        f"Rujukan berstatus {obj.get_status_display().lower()} tidak dapat "
                        f"diubah menjadi {StatusRujukan(ke).label.lower()}.",
                        code="transisi",
                    )
                }
            )
        tanggal = tanggal or hari_ini
        catatan = (catatan or "").strip()
        galat = _Galat()
        if tanggal > hari_ini:
            galat.tambah("tanggal", "Tanggal tidak boleh di masa depan.")
        elif tanggal < obj.tanggal_kirim:
            galat.tambah("tanggal", "Tanggal tidak boleh sebelum tanggal rujukan dikirim.")
        if ke == StatusRujukan.DITOLAK and not catatan:
            galat.tambah("catatan", "Tuliskan alasan penolakan.")
        galat.periksa()
        lama = obj.status
        sekarang = timezone.now()
        obj.status = ke
        obj.dijawab_pada = obj.dijawab_pada or sekarang
        if ke in (StatusRujukan.SELESAI, StatusRujukan.DITOLAK):
            obj.ditutup_pada = sekarang
        obj.diubah_oleh = pelaku
        obj.versi = F("versi") + 1
        obj.save(
            update_fields=[
                "status",
                "dijawab_pada",
                "ditutup_pada",
                "diubah_oleh",
                "diubah_pada",
                "versi",
            ]
        )
        obj.refresh_from_db()
        langkah = RiwayatRujukan(
            rujukan=obj,
            status_dari=lama,
            status_ke=ke,
            tanggal=tanggal,
            catatan=catatan,
            pelaku=pelaku,
            oleh_mitra=oleh_mitra,
            nama_pengisi=(nama_pengisi or "").strip()[:150],
        )
        ppks_baru = None
        if ke == StatusRujukan.SELESAI:
            ppks_baru = StatusPenanganan.SELESAI
        elif ke == StatusRujukan.DITOLAK:
            lain_terbuka = (
                Rujukan.objects.filter(ppks_id=obj.ppks_id)
                .exclude(pk=obj.pk)
                .exclude(status__in=[StatusRujukan.SELESAI, StatusRujukan.DITOLAK])
                .exists()
            )
            if not lain_terbuka and obj.ppks.status_penanganan == StatusPenanganan.DIRUJUK:
                ppks_baru = StatusPenanganan.DALAM
        if ppks_baru:
            siapa = _pelaku_ppks(obj, pelaku)
            sumber = "mitra melalui tautan rujukan" if oleh_mitra else "petugas"
            if siapa is None:
                langkah.catatan = (
                    f"{catatan}\n(Status penanganan PPKS belum diperbarui: tidak ada petugas "
                    "aktif di wilayah ini.)"
                ).strip()
            else:
                _ubah_penanganan(
                    pelaku=siapa,
                    ppks=obj.ppks,
                    status=ppks_baru,
                    catatan=(
                        f"Rujukan {obj.nomor} ke {obj.mitra.nama}: "
                        f"{StatusRujukan(ke).label.lower()} ({sumber})."
                    ),
                )
        langkah.save()
        catat(
            aksi="rujukan_status",
            pelaku=pelaku,
            objek=obj,
            data={"dari": lama, "ke": ke, "oleh_mitra": oleh_mitra},
            request=request,
        )
    return obj
