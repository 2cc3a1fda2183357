"""The dashboard's map: the numbers of the dashboard's own table rows (`baris` from
laporan.selectors.dasbor), never a second count. A suppressed cell stays suppressed, a hidden
sensitive category stays hidden, and each area links where its name in the table links."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import mark_safe

from laporan.selectors import KEPATUHAN, STATUS_MASUK, Angka
from peta import bentuk, proyeksi
from peta.render import Area, Titik, gambar
from tksk.models import Tingkat

# Report compliance of a kecamatan, as categories (darkest: accepted).
KATEGORI_LAPORAN = [
    ("diterima", KEPATUHAN["diterima"][0], "#3b528b"),
    ("diajukan", KEPATUHAN["diajukan"][0], "#21918c"),
    ("dikembalikan", KEPATUHAN["dikembalikan"][0], "#5ec962"),
    ("berjalan", KEPATUHAN["berjalan"][0], "#fde725"),
    ("belum", KEPATUHAN["belum"][0], "url(#peta-kosong)"),
]


@dataclass(frozen=True)
class Metrik:
    kunci: str
    label: str
    satuan: str
    ambil: Callable  # (baris, tingkat_anak) -> (teks, nilai, tekan, kategori)
    tingkat_anak: tuple = (Tingkat.KABUPATEN, Tingkat.KECAMATAN, Tingkat.DESA)


def _dari_angka(a: Angka | None):
    if a is None:
        return "", None, False, None
    if a.tersembunyi:
        return a.teks, None, True, None
    return a.teks, float(a.nilai), False, None


def _nilai(kunci):
    return lambda b, _t: _dari_angka(b.nilai.get(kunci))


def _koordinasi(kunci):
    return lambda b, _t: _dari_angka((b.koordinasi or {}).get(kunci))


def _laporan(b, tingkat_anak):
    lap = b.laporan
    if not lap:
        return "", None, False, None
    if tingkat_anak == Tingkat.KABUPATEN:  # reports in / kecamatan, as the table's "3/5"
        masuk = lap["masuk"]
        teks = f"{masuk.teks}/{lap['jumlah']}"
        persen = round(100 * masuk.nilai / lap["jumlah"]) if lap["jumlah"] else None
        return teks, persen, False, None
    kode = lap.kode if lap.kode in KEPATUHAN else "belum"
    if kode in STATUS_MASUK or kode in ("belum", "berjalan"):
        return lap.label, None, False, kode
    return lap.label, None, False, None


BUKAN_DESA = (Tingkat.KABUPATEN, Tingkat.KECAMATAN)
METRIK = [
    Metrik("keluarga", "Keluarga", "keluarga", _nilai("keluarga")),
    Metrik("individu", "Individu", "individu", _nilai("individu")),
    Metrik("ppks", "PPKS", "PPKS", _nilai("ppks")),
    Metrik(
        "ppks_terverifikasi", "PPKS terverifikasi", "PPKS", _nilai("ppks_terverifikasi"), BUKAN_DESA
    ),
    Metrik("ppks_diajukan", "PPKS menunggu", "PPKS", _nilai("ppks_diajukan"), BUKAN_DESA),
    Metrik("psks", "PSKS", "PSKS", _nilai("psks")),
    Metrik("kegiatan", "Kegiatan", "kegiatan", _koordinasi("kegiatan")),
    Metrik("rujukan", "Rujukan", "rujukan", _koordinasi("rujukan"), BUKAN_DESA),
    Metrik("laporan", "Laporan bulanan", "", _laporan, BUKAN_DESA),
]
PER_KUNCI = {m.kunci: m for m in METRIK}


def pilihan_metrik(tingkat_anak) -> list[Metrik]:
    return [m for m in METRIK if tingkat_anak in m.tingkat_anak]


def peta_dasbor(context: dict, kunci: str | None, sumber: list | None = None) -> dict | None:
    """The map section of a province, kabupaten or kecamatan dashboard (None on a desa's).
    `sumber`: the PSKS and partner points the user may see (peta.selectors.titik_sumber)."""
    wilayah = context["wilayah"]
    if wilayah.tingkat == Tingkat.DESA or not context.get("baris"):
        return None
    tingkat_anak = context["tingkat_anak"]
    pilihan = pilihan_metrik(tingkat_anak)
    metrik = PER_KUNCI.get(kunci or "")
    if metrik not in pilihan:
        metrik = PER_KUNCI["ppks"] if context["saringan"].kategori else PER_KUNCI["keluarga"]
    shapes = bentuk.semua()
    induk = shapes.get(wilayah.kode)
    if induk is None:
        return None
    judul = metrik.label
    kategori = context["saringan"].kategori
    if metrik.kunci.startswith("ppks") and kategori:
        judul = f"{judul} {kategori.singkatan}"
    judul = f"{judul} per {context['label_anak'].lower()}, {context['periode_label']}"
    areas = []
    for b in context["baris"]:
        s = shapes.get(b.wilayah.kode)
        if s is None:
            continue
        teks, nilai, tekan, kat = metrik.ambil(b, tingkat_anak)
        area = Area(b.wilayah.kode, b.wilayah.nama, teks, nilai, tekan, b.url_dasbor, kat)
        areas.append((area, s.path))
    # The children's own extent: the desa and kecamatan files come from different surveys and
    # do not trace the same outline, so the parent's outline is not drawn over them.
    kotak = [shapes[a.kode].kotak for a, _ in areas] or [induk.kotak]
    peta = gambar(
        judul=judul,
        satuan=metrik.satuan,
        kotak=(
            min(k[0] for k in kotak),
            min(k[1] for k in kotak),
            max(k[2] for k in kotak),
            max(k[3] for k in kotak),
        ),
        areas=areas,
        luar=[s.path for s in bentuk.tetangga(wilayah.kode)]
        if wilayah.tingkat != Tingkat.PROVINSI
        else [],
        garis_induk=None,
        kategori=KATEGORI_LAPORAN
        if metrik.kunci == "laporan" and tingkat_anak == Tingkat.KECAMATAN
        else None,
        titik=[
            Titik(t.jenis, *proyeksi.titik(t.lng, t.lat), f"{t.nama} ({t.keterangan})")
            for t in sumber or []
        ],
    )
    jumlah = {j: sum(1 for t in sumber or [] if t.jenis == j) for j in ("psks", "mitra")}
    q = context.get("q_saring", "")
    return {
        "svg": mark_safe(peta.svg),  # noqa: S308 - every text in it is escaped by render.gambar
        "judul": peta.judul,
        "metrik": metrik,
        "pilihan": [
            {"label": m.label, "url": f"?{q}&peta={m.kunci}#peta", "aktif": m is metrik}
            for m in pilihan
        ],
        "titik": jumlah if any(jumlah.values()) else None,
    }


def tautan_titik(user, wilayah) -> str | None:
    """The link to a desa's household points, for those who may see them (no query)."""
    from django.urls import reverse

    from peta.selectors import boleh_titik

    return reverse("peta:titik-desa", args=[wilayah.kode]) if boleh_titik(user, wilayah) else None
