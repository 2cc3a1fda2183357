"""Recaps of PPKS or PSKS per child area and category, with small-cell suppression."""

from laporan import charts
from laporan.models import Metrik
from laporan.selectors.dasbor import Tabel
from laporan.selectors.periode import bulan_ini, nama_pendek, waktu_data
from laporan.selectors.tautan import Saringan
from laporan.selectors.wilayah import ANAK, LABEL_ANAK, anak_wilayah
from tksk import privasi
from tksk.models import KategoriPPKS, KategoriPSKS, Tingkat, Wilayah


def rekap(user, jenis: str, wilayah: Wilayah, *, publik: bool, hanya_terverifikasi: bool):
    """Counts of PPKS or PSKS records by the next level down × category for an area, with row and
    column totals; small cells suppressed (sensitive categories outside the chain; every cell
    below 5 when `publik`) with secondary suppression so that no hidden cell can be recovered
    from the printed totals."""
    metrik = Metrik.PPKS if jenis == "ppks" else Metrik.PSKS
    kategori = list((KategoriPPKS if jenis == "ppks" else KategoriPSKS).objects.order_by("nomor"))
    anak = anak_wilayah(wilayah)
    saringan = Saringan(bulan=bulan_ini(), hanya_terverifikasi=hanya_terverifikasi)
    tabel = Tabel(user, wilayah, anak, saringan)
    status = tabel.status_efektif()

    def sensitif(k) -> bool:
        return jenis == "ppks" and k.sensitif

    grid = [[tabel.n(w.pk, metrik, k.pk, status) for k in kategori] for w in anak]
    for row in grid:
        row.append(sum(row))
    lebar = len(kategori) + 1
    grid.append([sum(col) for col in zip(*grid, strict=True)] if grid else [0] * lebar)
    primer = []
    for row in grid:
        mask = []
        for j, n in enumerate(row):
            k = kategori[j] if j < len(kategori) else None
            peka = k is not None and sensitif(k)
            # The project's rule (privasi.tampil) and, for a public table, every small count.
            mask.append(privasi.tampil(n, sensitif=peka, user=user, publik=publik) != n)
        primer.append(mask)
    mask = privasi.sekunder(grid, primer) if any(any(r) for r in primer) else primer
    baris = []
    for i, w in enumerate(anak + [wilayah]):
        sel = [privasi.KECIL if mask[i][j] else grid[i][j] for j in range(len(kategori) + 1)]
        baris.append({"wilayah": w, "sel": sel[:-1], "total": sel[-1], "nilai": grid[i]})
    return {
        "jenis": jenis,
        "judul": "PPKS" if jenis == "ppks" else "PSKS",
        "wilayah": wilayah,
        "label_anak": LABEL_ANAK[ANAK[wilayah.tingkat]],
        "kategori": kategori,
        "baris": baris[:-1],
        "total": baris[-1],
        "terakhir": waktu_data(tabel.terakhir),
        "publik": publik,
        "hanya_terverifikasi": hanya_terverifikasi,
        "grafik": charts.batang(
            [(f"{k.singkatan} · {k.nama}", baris[-1]["sel"][j]) for j, k in enumerate(kategori)],
            judul=f"{'PPKS' if jenis == 'ppks' else 'PSKS'} per kategori, {wilayah.nama_lengkap}",
            warna="#1f5fa8" if jenis == "ppks" else "#2f7d4f",
        ),
        "grafik_wilayah": charts.batang(
            [(nama_pendek(w["wilayah"].nama), w["total"]) for w in baris[:-1]],
            judul=f"Jumlah per {LABEL_ANAK[ANAK[wilayah.tingkat]].lower()}",
            warna="#1f5fa8" if jenis == "ppks" else "#2f7d4f",
        )
        if wilayah.tingkat != Tingkat.DESA
        else None,
    }
