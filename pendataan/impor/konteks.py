"""What one run carries: the user, their desa and categories, and the problems found by row."""

from dataclasses import dataclass, field

from pendataan.impor.kolom import _LABEL_KOLOM, _normal
from tksk.logging import mask_numbers
from tksk.models import KategoriPPKS, Tingkat, Wilayah


@dataclass
class _Konteks:
    pelaku: object
    desa_kode: dict
    desa_nama: dict
    kategori: dict
    # The note on the history rows of what the import creates (which file).
    catatan_riwayat: str = ""
    masalah: dict = field(default_factory=dict)  # (lembar, baris) -> dict

    def item(self, lembar: str, baris: int, nama: str = "") -> dict:
        key = (lembar, baris)
        if key not in self.masalah:
            self.masalah[key] = {
                "lembar": lembar,
                "baris": baris,
                "nama": nama,
                "galat": [],
                "peringatan": [],
            }
        elif nama and not self.masalah[key]["nama"]:
            self.masalah[key]["nama"] = nama
        return self.masalah[key]

    def galat(self, lembar, baris, kolom, pesan, *, nama="", keluarga_uuid=None) -> None:
        entry = {"kolom": _LABEL_KOLOM.get(kolom, kolom), "pesan": mask_numbers(str(pesan))}
        if keluarga_uuid:
            entry["keluarga_uuid"] = keluarga_uuid
        daftar = self.item(lembar, baris, nama)["galat"]
        if entry not in daftar:
            daftar.append(entry)

    def peringatan(self, lembar, baris, pesan, *, nama="") -> None:
        daftar = self.item(lembar, baris, nama)["peringatan"]
        pesan = mask_numbers(str(pesan))
        if pesan not in daftar:
            daftar.append(pesan)

    def ada_galat(self, lembar, baris) -> bool:
        item = self.masalah.get((lembar, baris))
        return bool(item and item["galat"])


def _kategori_peta() -> dict[str, KategoriPPKS]:
    peta = {}
    for k in KategoriPPKS.objects.all():
        nomor = f"{k.nomor:02d}"
        for kunci in (
            k.kode,
            k.singkatan,
            k.nama,
            f"PMKS-{nomor}",
            f"PPKS {nomor}",
            nomor,
            str(k.nomor),
        ):
            peta[_normal(kunci)] = k
    return peta


def _desa_peta(pelaku) -> tuple[dict, dict]:
    kode, nama = {}, {}
    for w in Wilayah.objects.for_user(pelaku).filter(tingkat=Tingkat.DESA, aktif=True):
        kode[w.kode] = w
        nama.setdefault(_normal(w.nama), []).append(w)
        nama.setdefault(_normal(w.nama_lengkap), []).append(w)
    return kode, nama


def _cari_desa(ktx: _Konteks, teks: str) -> Wilayah | None:
    if not teks:
        return None
    found = ktx.desa_kode.get(teks.strip())
    if found is not None:
        return found
    calon = ktx.desa_nama.get(_normal(teks), [])
    return calon[0] if len(calon) == 1 else None


def _pesan_desa(ktx: _Konteks, teks: str) -> str:
    if teks and len(ktx.desa_nama.get(_normal(teks), [])) > 1:
        return (
            f"Ada beberapa desa/kelurahan bernama “{teks[:40]}” di wilayah Anda; tulis kodenya "
            "(lihat lembar Petunjuk)."
        )
    return (
        "Kode desa/kelurahan tidak dikenal atau di luar wilayah tugas Anda. Lihat daftar kode di "
        "lembar Petunjuk templat."
    )


def _konteks(pelaku, nama_berkas: str, sha256: str) -> "_Konteks":
    desa_kode, desa_nama = _desa_peta(pelaku)
    return _Konteks(
        pelaku,
        desa_kode,
        desa_nama,
        _kategori_peta(),
        catatan_riwayat=f"Diimpor dari berkas {nama_berkas} (sha256 {sha256[:12]}…).",
    )
