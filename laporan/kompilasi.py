"""The numbers and rows of a monthly TKSK report (DOMAIN.md §4), compiled from one kecamatan's
records of one month, as plain JSON so that they can be frozen in the report when it is submitted.

`kompilasi` reads through the compiling user's scope (the TKSK when they submit) and always
narrows to the report's kecamatan. Free text typed by people (activity topics, notes) passes
through `mask_numbers`, so a NIK or No KK typed into it never reaches the report or its PDF.
`untuk_penampil` then adapts the rows to the user looking at them: sensitive PPKS categories are
summed into one line, suppressed below 5, for users outside the recording kecamatan's chain.
"""

from collections import defaultdict
from datetime import datetime, time

from django.db.models import Count
from django.utils import timezone

from koordinasi import selectors as koordinasi
from koordinasi.models import JenisKegiatan
from laporan.selectors import akhir_bulan, geser_bulan, label_bulan
from pendataan.models import PPKS, PSKS, Keluarga, StatusPenanganan
from tksk import privasi
from tksk.logging import mask_numbers
from tksk.models import KategoriPPKS, KategoriPSKS, Wilayah
from tksk.privasi import dalam_rantai

VERSI = 1
PANJANG_CATATAN = 300
KOORDINASI = {JenisKegiatan.RAPAT_KOORDINASI}
BIMBINGAN = {JenisKegiatan.BIMBINGAN_SOSIAL, JenisKegiatan.PENYULUHAN_SOSIAL}
PENANGANAN = {JenisKegiatan.ASESMEN, JenisKegiatan.KUNJUNGAN_RUMAH}
PENDAMPINGAN = {JenisKegiatan.PENDAMPINGAN}
BENCANA = {JenisKegiatan.RESPON_BENCANA}
KATEGORI_BENCANA = {"KBA", "KBS"}


def _teks(nilai, panjang: int | None = None) -> str:
    teks = mask_numbers(str(nilai or "")).strip()
    if panjang and len(teks) > panjang:
        teks = teks[: panjang - 1].rstrip() + "…"
    return teks


def _rentang(laporan):
    dari = laporan.bulan
    sampai = akhir_bulan(dari)
    tz = timezone.get_current_timezone()
    mulai = timezone.make_aware(datetime.combine(dari, time.min), tz)
    selesai = timezone.make_aware(datetime.combine(geser_bulan(dari, 1), time.min), tz)
    return dari, sampai, mulai, selesai


def kompilasi(laporan, user) -> dict:
    """The report's content for its month, read through `user`'s scope. About ten queries."""
    kec = laporan.kecamatan
    dari, sampai, mulai, selesai = _rentang(laporan)
    desa = {w.pk: w for w in Wilayah.objects.filter(induk=kec)}
    kat_ppks = {k.pk: k for k in KategoriPPKS.objects.all()}
    kat_psks = {k.pk: k for k in KategoriPSKS.objects.all()}

    # A. Pendataan: PPKS identified this month (baru) and earlier ones changed this month.
    ppks = PPKS.objects.for_user(user).filter(desa__kecamatan=kec)
    sel = defaultdict(lambda: defaultdict(int))
    baru = ppks.filter(tanggal_identifikasi__range=(dari, sampai))
    ubah = ppks.filter(diubah_pada__gte=mulai, diubah_pada__lt=selesai).exclude(
        tanggal_identifikasi__range=(dari, sampai)
    )
    for jenis, qs in (("baru", baru), ("ubah", ubah)):
        for r in qs.values("desa_id", "kategori_id", "jenis_kelamin").annotate(n=Count("pk")):
            jk = {"L": "l", "P": "p"}.get(r["jenis_kelamin"], "lain")
            sel[(r["desa_id"], r["kategori_id"])][f"{jenis}_{jk}"] += r["n"]
    baris_ppks = []
    for (desa_id, kat_id), angka in sel.items():
        k, w = kat_ppks[kat_id], desa[desa_id]
        baris_ppks.append(
            {
                "desa": w.kode,
                "desa_nama": w.nama,
                "kategori": k.kode,
                "singkatan": k.singkatan,
                "nama": k.nama,
                "nomor": k.nomor,
                "sensitif": k.sensitif,
                **{
                    f"{j}_{x}": angka.get(f"{j}_{x}", 0)
                    for j in ("baru", "ubah")
                    for x in ("l", "p", "lain")
                },
            }
        )
    baris_ppks.sort(key=lambda r: (r["desa"], r["nomor"]))

    psks = PSKS.objects.for_user(user).filter(desa__kecamatan=kec)
    sel_psks = defaultdict(lambda: {"baru": 0, "ubah": 0})
    for jenis, qs in (
        ("baru", psks.filter(dibuat_pada__gte=mulai, dibuat_pada__lt=selesai)),
        (
            "ubah",
            psks.filter(diubah_pada__gte=mulai, diubah_pada__lt=selesai, dibuat_pada__lt=mulai),
        ),
    ):
        for r in qs.values("desa_id", "kategori_id").annotate(n=Count("pk")):
            sel_psks[(r["desa_id"], r["kategori_id"])][jenis] += r["n"]
    baris_psks = [
        {
            "desa": desa[d].kode,
            "desa_nama": desa[d].nama,
            "kategori": kat_psks[k].kode,
            "singkatan": kat_psks[k].singkatan,
            "nama": kat_psks[k].nama,
            "nomor": kat_psks[k].nomor,
            **angka,
        }
        for (d, k), angka in sel_psks.items()
    ]
    baris_psks.sort(key=lambda r: (r["desa"], r["nomor"]))

    keluarga = Keluarga.objects.for_user(user).filter(desa__kecamatan=kec)
    keluarga_baru = keluarga.filter(dibuat_pada__gte=mulai, dibuat_pada__lt=selesai).count()
    keluarga_ubah = keluarga.filter(
        diubah_pada__gte=mulai, diubah_pada__lt=selesai, dibuat_pada__lt=mulai
    ).count()

    # B. Penanganan: handling status of the kecamatan's PPKS now, and the referrals sent.
    penanganan = dict.fromkeys(StatusPenanganan.values, 0)
    for status, n in ppks.values_list("status_penanganan").annotate(n=Count("pk")).order_by():
        penanganan[status] = n
    rujukan = [
        {
            "nomor": r.nomor,
            "tanggal": r.tanggal_kirim.isoformat(),
            "kategori": r.ppks.kategori.kode,
            "singkatan": r.ppks.kategori.singkatan,
            "sensitif": r.ppks.kategori.sensitif,
            "desa_nama": r.desa.nama,
            "mitra": _teks(r.mitra.nama, 120),
            "urgensi": r.get_urgensi_display(),
            "status": r.get_status_display(),
        }
        for r in koordinasi.rujukan_daftar(user)
        .filter(kecamatan=kec, tanggal_kirim__range=(dari, sampai))
        .order_by("tanggal_kirim", "nomor_urut")
    ]

    # C–F. Activities of the month by kind.
    kegiatan = (
        koordinasi.kegiatan_daftar(user, dari=dari, sampai=sampai)
        .filter(desa__kecamatan=kec)
        .prefetch_related("mitra")
        .order_by("tanggal", "jam_mulai", "pk")
    )
    bagian = {k: [] for k in ("koordinasi", "bimbingan", "penanganan", "pendampingan", "bencana")}
    for k in kegiatan:
        baris = {
            "tanggal": k.tanggal.isoformat(),
            "jenis": str(k.get_jenis_display()),
            "topik": _teks(k.topik, 200),
            "tempat": _teks(k.tempat, 120),
            "desa_nama": k.desa.nama,
            "mitra": [_teks(m.nama, 80) for m in k.mitra.all()],
            "peserta_l": k.peserta_laki,
            "peserta_p": k.peserta_perempuan,
            "hasil": _teks(k.notulen, PANJANG_CATATAN),
            "tindak_lanjut": k.tindak_lanjut_terbuka,
        }
        if k.jenis in KOORDINASI:
            bagian["koordinasi"].append(baris)
        elif k.jenis in BIMBINGAN:
            bagian["bimbingan"].append(baris)
        elif k.jenis in PENDAMPINGAN:
            bagian["pendampingan"].append(baris)
        elif k.jenis in BENCANA:
            bagian["bencana"].append(baris)
        else:
            bagian["penanganan"].append(baris)

    # F. Disaster victims identified this month (groups, households, persons).
    korban = [
        {
            "tanggal": p["tanggal_identifikasi"].isoformat(),
            "singkatan": p["kategori__singkatan"],
            "desa_nama": desa[p["desa_id"]].nama,
            "subjek": p["subjek"],
            "kk": p["perkiraan_kk"],
            "jiwa": p["perkiraan_jiwa"],
        }
        for p in baru.filter(kategori__singkatan__in=KATEGORI_BENCANA)
        .values(
            "tanggal_identifikasi",
            "kategori__singkatan",
            "desa_id",
            "subjek",
            "perkiraan_kk",
            "perkiraan_jiwa",
        )
        .order_by("tanggal_identifikasi", "pk")
    ]

    kab = kec.kabupaten or kec.induk
    return {
        "versi": VERSI,
        "dikompilasi_pada": timezone.now().isoformat(),
        "periode": f"{dari:%Y-%m}",
        "periode_label": label_bulan(dari),
        "kecamatan": {"kode": kec.kode, "nama": kec.nama},
        "kabupaten": {"kode": kab.kode, "nama": kab.nama} if kab else None,
        "tksk": {
            "nama": laporan.tksk.get_full_name() or laporan.tksk.username,
            "jabatan": laporan.tksk.jabatan,
        },
        "keluarga": {"baru": keluarga_baru, "ubah": keluarga_ubah},
        "ppks": baris_ppks,
        "psks": baris_psks,
        "penanganan": penanganan,
        "rujukan": rujukan,
        "kegiatan": bagian,
        "korban_bencana": korban,
    }


KOLOM_PPKS = [f"{j}_{x}" for j in ("baru", "ubah") for x in ("l", "p", "lain")]


def untuk_penampil(data: dict, user) -> dict:
    """The compiled content as `user` may see it (a copy). Sensitive PPKS rows and referrals are
    shown individually only inside the chain; outside it they become one line each, whose count
    is suppressed below 5. Totals then count what is shown, so nothing can be recovered by
    subtraction."""
    if not data:
        return {}
    hasil = dict(data)
    rantai = dalam_rantai(user)
    ppks = [dict(r) for r in data.get("ppks", [])]
    sensitif = [r for r in ppks if r.get("sensitif")]
    if not rantai:
        ppks = [r for r in ppks if not r.get("sensitif")]
    for r in ppks:
        r["baru"] = r["baru_l"] + r["baru_p"] + r["baru_lain"]
        r["ubah"] = r["ubah_l"] + r["ubah_p"] + r["ubah_lain"]
    total = {k: sum(r[k] for r in ppks) for k in [*KOLOM_PPKS, "baru", "ubah"]}
    hasil["ppks"] = ppks
    hasil["ppks_total"] = total
    hasil["ppks_sensitif"] = None
    if not rantai and sensitif:
        n_baru = sum(r["baru_l"] + r["baru_p"] + r["baru_lain"] for r in sensitif)
        n_ubah = sum(r["ubah_l"] + r["ubah_p"] + r["ubah_lain"] for r in sensitif)
        hasil["ppks_sensitif"] = {
            "baru": privasi.tampil(n_baru, sensitif=True, user=user),
            "ubah": privasi.tampil(n_ubah, sensitif=True, user=user),
        }
    rujukan = list(data.get("rujukan", []))
    hasil["rujukan_sensitif"] = None
    if not rantai:
        n = sum(1 for r in rujukan if r.get("sensitif"))
        rujukan = [r for r in rujukan if not r.get("sensitif")]
        if n:
            hasil["rujukan_sensitif"] = privasi.tampil(n, sensitif=True, user=user)
    hasil["rujukan"] = rujukan
    psks = [dict(r) for r in data.get("psks", [])]
    hasil["psks"] = psks
    hasil["psks_total"] = {
        "baru": sum(r["baru"] for r in psks),
        "ubah": sum(r["ubah"] for r in psks),
    }
    kegiatan = data.get("kegiatan", {})
    hasil["peserta"] = {
        "l": sum(b["peserta_l"] for rows in kegiatan.values() for b in rows),
        "p": sum(b["peserta_p"] for rows in kegiatan.values() for b in rows),
    }
    hasil["jumlah_kegiatan"] = sum(len(rows) for rows in kegiatan.values())
    return hasil
