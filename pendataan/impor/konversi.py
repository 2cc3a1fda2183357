"""Cell values turned into what the services take: text, NIK/No KK, dates, choices, decimals."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from pendataan.impor.kolom import PILIHAN, _normal, daftar_pilihan
from pendataan.impor.lembar import Sel, _kosong

_FORMAT_TANGGAL = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")
PESAN_RUMUS = (
    "Sel ini berisi rumus Excel, bukan nilai. Ganti dengan nilainya (Salin, lalu Tempel "
    "Khusus → Nilai) dan unggah lagi."
)


def _teks(sel: Sel | None) -> str:
    if sel is None or sel.nilai is None:
        return ""
    value = sel.nilai
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _nomor(sel: Sel | None) -> str:
    """NIK/No KK as text. A numeric cell is never converted back to digits (Excel keeps 15
    significant digits, so the last one may already be lost): it is passed on in the scientific
    notation Excel shows, which the NIK check refuses with its "format the column as Text"
    message."""
    if sel is None or sel.nilai is None:
        return ""
    value = sel.nilai
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{float(value):.5E}"
    return str(value).strip()


def _tanggal(sel: Sel | None, label: str) -> tuple[object, str | None]:
    """(value for the service, conversion message or None)."""
    if sel is None or _kosong(sel.nilai):
        return None, None
    value = sel.nilai
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, (int, float)):
        return str(value), (
            f"{label} berupa angka, bukan tanggal. Format sel sebagai Tanggal, atau tulis "
            "TTTT-BB-HH (misalnya 1985-04-12)."
        )
    teks = str(value).strip()
    for fmt in _FORMAT_TANGGAL:
        try:
            return datetime.strptime(teks, fmt).date(), None
        except ValueError:
            continue
    return teks, (
        f"{label} “{teks[:20]}” tidak dikenali. Tulis TTTT-BB-HH (misalnya 1985-04-12) atau "
        "HH-BB-TTTT (12-04-1985), dengan tanggal yang ada di kalender."
    )


def _pilihan(sel: Sel | None, nama: str) -> tuple[str, str | None]:
    teks = _teks(sel)
    if not teks:
        return "", None
    value = PILIHAN[nama].get(_normal(teks))
    if value is None:
        return teks, (
            f"Isian “{teks[:30]}” tidak dikenal untuk kolom {nama}. "
            f"Pilihan: {daftar_pilihan(nama)}."
        )
    return value, None


def _desimal(sel: Sel | None) -> tuple[object, str | None]:
    if sel is None or _kosong(sel.nilai):
        return None, None
    value = sel.nilai
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value)), None
    teks = str(value).strip().replace(",", ".").replace("\u2212", "-")
    try:
        return Decimal(teks), None
    except InvalidOperation:
        return teks, None  # the service says what is wrong
