"""Writes to the TKSK registry. Keyword-only, the acting user first, one transaction, an audit
entry. Who may do what:

* province staff and admins manage profiles, SKs, status and bimtek;
* a kabupaten proposes changes to its own TKSK's profiles (applied when the province accepts);
* a TKSK corrects their own contact details only.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pendataan.nik import periksa_nik, peringatan_nik
from tenaga.models import (
    SKTKSK,
    Bimtek,
    Kehadiran,
    MateriBimtek,
    Penugasan,
    PesertaBimtek,
    ProfilTKSK,
    StatusTKSK,
    StatusUsulan,
    UsulanPerubahan,
)
from tksk.audit import catat
from tksk.kapabilitas import boleh, wajib
from tksk.konkurensi import cek_versi
from tksk.models import Role, Tingkat

KONTAK = ("telepon", "email", "alamat")
# Fields a kabupaten may propose a change to (the account and area move through accounts).
BOLEH_DIUSULKAN = (
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "pendidikan",
    "telepon",
    "email",
    "alamat",
    "asal",
    "asal_organisasi",
    "tahun_rekrut",
)


def _cek_pengelola(user) -> None:
    wajib(user, "tenaga.kelola", "Hanya Dinas Sosial provinsi dan admin yang mengelola data TKSK.")


def _bersihkan_nik(nik: str | None) -> str | None:
    return periksa_nik(nik or "") or None


@transaction.atomic
def profil_simpan(*, pelaku, data: dict, profil: ProfilTKSK | None = None, versi=None, uuid=None):
    """Create or update a profile. Returns (profile, warnings about the NIK). `uuid`: the
    client's uuid of a new profile (the API's idempotent create)."""
    _cek_pengelola(pelaku)
    akun = data.get("akun")
    if akun is not None:
        if akun.role != Role.TKSK or akun.wilayah_id is None:
            raise ValidationError({"akun": "Akun harus akun TKSK yang sudah ditugaskan."})
        data["kecamatan"] = akun.wilayah
    if data.get("kecamatan") is None or data["kecamatan"].tingkat != Tingkat.KECAMATAN:
        raise ValidationError({"kecamatan": "Pilih kecamatan tugas."})
    data["nik"] = _bersihkan_nik(data.get("nik"))
    baru = profil is None
    if baru:
        profil = ProfilTKSK(dibuat_oleh=pelaku)
        if uuid is not None:
            profil.uuid = uuid
    else:
        profil = ProfilTKSK.objects.select_for_update().get(pk=profil.pk)
        cek_versi(profil, versi)
    sebelum_kec = None if baru else profil.kecamatan_id
    for key, value in data.items():
        setattr(profil, key, value)
    if profil.nik and ProfilTKSK.objects.filter(nik=profil.nik).exclude(pk=profil.pk).exists():
        raise ValidationError({"nik": "NIK ini sudah dipakai profil TKSK lain."})
    profil.diubah_oleh = pelaku
    if not baru:
        profil.versi = F("versi") + 1
    profil.save()
    profil.refresh_from_db()
    if sebelum_kec != profil.kecamatan_id:
        _pindah(profil=profil, pelaku=pelaku, tanggal=timezone.localdate())
    catat(aksi="tksk_profil_buat" if baru else "tksk_profil_ubah", pelaku=pelaku, objek=profil)
    return profil, peringatan_nik(
        profil.nik or "", tanggal_lahir=profil.tanggal_lahir, jenis_kelamin=profil.jenis_kelamin
    )


def _pindah(*, profil: ProfilTKSK, pelaku, tanggal: date) -> None:
    """Close the open assignment and open one in the profile's kecamatan."""
    terbuka = profil.penugasan.filter(selesai__isnull=True).first()
    if terbuka is not None:
        if terbuka.kecamatan_id == profil.kecamatan_id:
            return
        terbuka.selesai = max(tanggal, terbuka.mulai)
        terbuka.save(update_fields=["selesai"])
    Penugasan.objects.create(
        profil=profil, kecamatan_id=profil.kecamatan_id, mulai=tanggal, dicatat_oleh=pelaku
    )


@transaction.atomic
def akun_dipindah(*, pelaku, akun) -> None:
    """Called by the account services after an account's area changed: the TKSK's profile
    follows the account and the move is recorded in the assignment history."""
    profil = ProfilTKSK.objects.select_for_update().filter(akun=akun).first()
    if profil is None or akun.role != Role.TKSK or akun.wilayah_id is None:
        return
    if profil.kecamatan_id == akun.wilayah_id:
        return
    dari = profil.kecamatan.kode
    profil.kecamatan_id = akun.wilayah_id
    profil.save(update_fields=["kecamatan", "diubah_pada"])
    _pindah(profil=profil, pelaku=pelaku, tanggal=timezone.localdate())
    catat(
        aksi="tksk_pindah",
        pelaku=pelaku,
        objek=profil,
        data={"dari": dari, "ke": akun.wilayah.kode},
    )


@transaction.atomic
def kontak_ubah(*, pelaku, profil: ProfilTKSK, data: dict, versi=None) -> ProfilTKSK:
    """A TKSK corrects their own phone, e-mail and address; nothing else."""
    if profil.akun_id != pelaku.pk and not boleh(pelaku, "tenaga.kelola"):
        raise PermissionDenied("Anda hanya dapat mengubah kontak Anda sendiri.")
    profil = ProfilTKSK.objects.select_for_update().get(pk=profil.pk)
    cek_versi(profil, versi)
    sebelum = {k: getattr(profil, k) for k in KONTAK}
    for key in KONTAK:
        setattr(profil, key, data.get(key, getattr(profil, key)))
    profil.diubah_oleh = pelaku
    profil.versi = F("versi") + 1
    profil.save()
    profil.refresh_from_db()
    catat(
        aksi="tksk_kontak_ubah",
        pelaku=pelaku,
        objek=profil,
        data={"sebelum": sebelum, "sesudah": {k: getattr(profil, k) for k in KONTAK}},
    )
    return profil


@transaction.atomic
def status_ubah(*, pelaku, profil: ProfilTKSK, status: str, alasan: str, tanggal: date):
    _cek_pengelola(pelaku)
    if status not in StatusTKSK.values:
        raise ValidationError({"status": "Status tidak dikenal."})
    if status != StatusTKSK.AKTIF and not alasan.strip():
        raise ValidationError({"alasan": "Tuliskan alasan perubahan status."})
    profil = ProfilTKSK.objects.select_for_update().get(pk=profil.pk)
    dari = profil.status
    profil.status, profil.status_alasan, profil.status_tanggal = status, alasan.strip(), tanggal
    profil.diubah_oleh = pelaku
    profil.versi = F("versi") + 1
    profil.save()
    if status in (StatusTKSK.DIBERHENTIKAN, StatusTKSK.MENINGGAL):
        profil.penugasan.filter(selesai__isnull=True).update(selesai=tanggal)
    elif status == StatusTKSK.AKTIF and not profil.penugasan.filter(selesai__isnull=True).exists():
        Penugasan.objects.create(
            profil=profil, kecamatan_id=profil.kecamatan_id, mulai=tanggal, dicatat_oleh=pelaku
        )
    catat(aksi="tksk_status", pelaku=pelaku, objek=profil, data={"dari": dari, "ke": status})
    profil.refresh_from_db()
    return profil


@transaction.atomic
def sk_tambah(*, pelaku, profil: ProfilTKSK, data: dict) -> SKTKSK:
    _cek_pengelola(pelaku)
    ProfilTKSK.objects.select_for_update().filter(pk=profil.pk).first()
    if data["selesai"] < data["mulai"]:
        raise ValidationError({"selesai": "Tanggal akhir SK tidak boleh sebelum tanggal mulainya."})
    tumpang = profil.sk.filter(mulai__lte=data["selesai"], selesai__gte=data["mulai"]).first()
    if tumpang is not None:
        raise ValidationError(
            {
                "mulai": (
                    f"Masa berlaku SK ini bertumpang tindih dengan SK {tumpang.nomor} "
                    f"({tumpang.mulai:%d-%m-%Y} s.d. {tumpang.selesai:%d-%m-%Y})."
                )
            }
        )
    sk = SKTKSK.objects.create(profil=profil, dibuat_oleh=pelaku, **data)
    catat(aksi="tksk_sk_tambah", pelaku=pelaku, objek=profil, data={"nomor": sk.nomor})
    return sk


@transaction.atomic
def usulan_ajukan(*, pelaku, profil: ProfilTKSK, data: dict, alasan: str) -> UsulanPerubahan:
    wajib(pelaku, "tenaga.usul", "Usulan perubahan diajukan oleh Dinas Sosial kabupaten/kota.")
    ubah = {}
    for key in BOLEH_DIUSULKAN:
        if key in data and data[key] != getattr(profil, key):
            value = data[key]
            ubah[key] = value.isoformat() if isinstance(value, date) else value
    if not ubah:
        raise ValidationError("Tidak ada isian yang berbeda dari data sekarang.")
    if not alasan.strip():
        raise ValidationError({"alasan": "Tuliskan alasan usulan."})
    usulan = UsulanPerubahan.objects.create(
        profil=profil, data=ubah, alasan=alasan.strip(), diusulkan_oleh=pelaku
    )
    catat(aksi="tksk_usulan", pelaku=pelaku, objek=profil, data={"isian": sorted(ubah)})
    return usulan


@transaction.atomic
def usulan_putuskan(*, pelaku, usulan: UsulanPerubahan, terima: bool, catatan: str = ""):
    _cek_pengelola(pelaku)
    usulan = UsulanPerubahan.objects.select_for_update().get(pk=usulan.pk)
    if usulan.status != StatusUsulan.DIAJUKAN:
        raise ValidationError("Usulan ini sudah diputuskan.")
    if terima:
        profil = ProfilTKSK.objects.select_for_update().get(pk=usulan.profil_id)
        for key, value in usulan.data.items():
            if key in BOLEH_DIUSULKAN:
                if key == "tanggal_lahir" and value:
                    value = date.fromisoformat(value)
                setattr(profil, key, value)
        profil.diubah_oleh = pelaku
        profil.versi = F("versi") + 1
        profil.full_clean(exclude=["akun", "kecamatan", "versi", "nik"])
        profil.save()
    usulan.status = StatusUsulan.DITERIMA if terima else StatusUsulan.DITOLAK
    usulan.diputuskan_oleh, usulan.diputuskan_pada = pelaku, timezone.now()
    usulan.catatan = catatan
    usulan.save()
    catat(aksi="tksk_usulan_putus", pelaku=pelaku, objek=usulan.profil, data={"terima": terima})
    return usulan


# --- bimtek -------------------------------------------------------------------------------------


@transaction.atomic
def bimtek_simpan(*, pelaku, data: dict, bimtek: Bimtek | None = None, versi=None) -> Bimtek:
    _cek_pengelola(pelaku)
    if data["selesai"] < data["mulai"]:
        raise ValidationError({"selesai": "Tanggal selesai tidak boleh sebelum tanggal mulai."})
    baru = bimtek is None
    if baru:
        bimtek = Bimtek(dibuat_oleh=pelaku, wilayah=_wilayah_penyelenggara(pelaku))
    else:
        bimtek = Bimtek.objects.select_for_update().get(pk=bimtek.pk)
        cek_versi(bimtek, versi)
        bimtek.versi = F("versi") + 1
    for key, value in data.items():
        setattr(bimtek, key, value)
    bimtek.diubah_oleh = pelaku
    bimtek.save()
    bimtek.refresh_from_db()
    catat(aksi="bimtek_buat" if baru else "bimtek_ubah", pelaku=pelaku, objek=bimtek)
    return bimtek


def _wilayah_penyelenggara(pelaku):
    from tksk.models import Wilayah

    return pelaku.wilayah or Wilayah.objects.get(tingkat=Tingkat.PROVINSI, kode="62")


@transaction.atomic
def peserta_undang(*, pelaku, bimtek: Bimtek, profil_qs) -> int:
    """Invite the active TKSK of `profil_qs` (already scoped); those already invited stay."""
    _cek_pengelola(pelaku)
    ada = set(bimtek.peserta.values_list("profil_id", flat=True))
    baru = [
        PesertaBimtek(bimtek=bimtek, profil=p)
        for p in profil_qs.filter(status=StatusTKSK.AKTIF)
        if p.pk not in ada
    ]
    PesertaBimtek.objects.bulk_create(baru)
    catat(aksi="bimtek_undang", pelaku=pelaku, objek=bimtek, data={"jumlah": len(baru)})
    return len(baru)


@transaction.atomic
def kehadiran_simpan(*, pelaku, bimtek: Bimtek, hadir: dict) -> None:
    """`hadir`: {peserta: set of dates present}; every day of the event is recorded."""
    _cek_pengelola(pelaku)
    for peserta, tanggal_hadir in hadir.items():
        for hari in bimtek.hari:
            Kehadiran.objects.update_or_create(
                peserta=peserta, tanggal=hari, defaults={"hadir": hari in tanggal_hadir}
            )
    catat(aksi="bimtek_kehadiran", pelaku=pelaku, objek=bimtek, data={"peserta": len(hadir)})


@transaction.atomic
def nilai_simpan(*, pelaku, bimtek: Bimtek, nilai: dict) -> None:
    """`nilai`: {peserta: (pre, post, certificate number)}. A reused number refuses all."""
    _cek_pengelola(pelaku)
    for peserta, (pre, post, nomor) in nilai.items():
        for skor in (pre, post):
            if skor is not None and not 0 <= skor <= 100:
                raise ValidationError(f"Nilai {peserta.profil.nama} harus 0–100.")
        nomor = (nomor or "").strip() or None
        if (
            nomor
            and PesertaBimtek.objects.filter(nomor_sertifikat=nomor).exclude(pk=peserta.pk).exists()
        ):
            raise ValidationError(f"Nomor sertifikat {nomor} sudah dipakai peserta lain.")
        peserta.nilai_pre, peserta.nilai_post, peserta.nomor_sertifikat = pre, post, nomor
        peserta.save(update_fields=["nilai_pre", "nilai_post", "nomor_sertifikat"])
    catat(aksi="bimtek_nilai", pelaku=pelaku, objek=bimtek, data={"peserta": len(nilai)})


@transaction.atomic
def materi_tambah(*, pelaku, bimtek: Bimtek, berkas, nama: str, jenis: str) -> MateriBimtek:
    _cek_pengelola(pelaku)
    materi = MateriBimtek(
        bimtek=bimtek, nama=nama[:150], jenis=jenis, ukuran=berkas.size, diunggah_oleh=pelaku
    )
    materi.berkas.save(f"materi.{jenis}", berkas, save=False)
    materi.save()
    catat(aksi="bimtek_materi", pelaku=pelaku, objek=bimtek, data={"nama": materi.nama})
    return materi
