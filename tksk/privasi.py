"""Privacy rules every door applies (UU 27/2022): NIK/No KK masking and small-count suppression.

Masking: lists, exports and PDFs show `6271********0001` (`samarkan`); log lines are masked by
`tksk.logging.mask_numbers`.

Small counts: primary suppression hides a count below 5 ("<5"): every count of a sensitive PPKS
category shown to a user outside the recording kecamatan's chain (`dalam_rantai`), and every
count of a public table (`publik`). A hidden cell must not be recoverable from the totals printed
beside it, so secondary suppression (`sekunder`) then hides, in every line (a row or a column
that sums to its printed total) with exactly one hidden entry, the smallest other entry as well,
until no line has exactly one.
"""

from tksk.scoping import is_active_user, sees_everything

PANJANG_NOMOR = 16
BATAS_KECIL = 5
KECIL = f"<{BATAS_KECIL}"


def samarkan(nomor: str | None) -> str:
    """Mask for lists, exports and PDFs: "6271********0001". Never shows more than 8 characters."""
    if not nomor:
        return ""
    s = str(nomor)
    if len(s) == PANJANG_NOMOR:
        return f"{s[:4]}{'*' * 8}{s[-4:]}"
    if len(s) <= 4:
        return "*" * len(s)  # showing "the last 4" of a 4-character value would show all of it
    return "*" * (len(s) - 4) + s[-4:]


def dalam_rantai(user) -> bool:
    """Whether the user belongs to the chain of every PPKS record they can reach at all.

    The chain of a record made in kecamatan K is the TKSK of K, the Dinas Sosial of K's kabupaten
    and the system admin. A TKSK or kabupaten user only ever reaches their own area through
    `for_user`, so for them "in scope" and "in the chain" coincide.
    """
    if not is_active_user(user):
        return False
    if sees_everything(user):
        return True
    return user.role in ("tksk", "kabupaten") and user.wilayah_id is not None


def tekan_publik(n: int) -> bool:
    return n < BATAS_KECIL


def tampil(n: int, *, sensitif: bool, user, publik: bool = False) -> int | str:
    """A count as it may be shown to `user`: a sensitive category's count below 5 (zero
    included, so that "none" and "a few" look alike) is "<5" outside the chain, and with
    `publik` every count below 5 is."""
    if publik and tekan_publik(n):
        return KECIL
    if sensitif and n < BATAS_KECIL and not dalam_rantai(user):
        return KECIL
    return n


def sekunder(
    grid: list[list[int]], tekan: list[list[bool]], *, baris: bool = True, kolom: bool = True
) -> list[list[bool]]:
    """Secondary suppression on a grid whose rows (`baris`) and/or columns (`kolom`) sum to a
    printed total held in their last entry. Returns the new mask; `tekan` is not changed."""
    mask = [list(row) for row in tekan]
    if not grid:
        return mask
    n_baris, n_kolom = len(grid), len(grid[0])
    lines = [[(i, j) for j in range(n_kolom)] for i in range(n_baris)] if baris else []
    if kolom:
        lines += [[(i, j) for i in range(n_baris)] for j in range(n_kolom)]
    berubah = True
    while berubah:
        berubah = False
        for line in lines:
            if len(line) < 2:
                continue
            tersembunyi = [c for c in line if mask[c[0]][c[1]]]
            if len(tersembunyi) != 1:
                continue
            calon = [c for c in line if not mask[c[0]][c[1]]]
            i, j = min(calon, key=lambda c: (grid[c[0]][c[1]], c))
            mask[i][j] = True
            berubah = True
    return mask


def sekunder_baris(nilai: list[int], tekan: list[bool]) -> list[bool]:
    """One line that sums to its last entry (its printed total)."""
    return sekunder([nilai], [tekan], kolom=False)[0] if nilai else []
