"""Small-cell suppression for tables of counts.

Primary suppression hides a count below 5 ("<5"): every count of a sensitive PPKS category
shown to a user outside the recording kecamatan's chain (`pendataan.selectors_ppks.
suppress_small`), and every count of a public table (`publik=1`). A hidden cell must not be
recoverable from the totals printed beside it, so secondary suppression then hides, in every line
(a row or a column that sums to its printed total) with exactly one hidden entry, the smallest
other entry as well, until no line has exactly one.
"""

from pendataan.selectors_ppks import BATAS_KECIL, suppress_small

KECIL = f"<{BATAS_KECIL}"


def tekan_publik(n: int) -> bool:
    return n < BATAS_KECIL


def tampil(n: int, *, sensitif: bool, user, publik: bool = False) -> int | str:
    """A count as it may be shown: the project rule for sensitive categories, plus the public
    rule (every count below 5) when `publik`."""
    if publik and tekan_publik(n):
        return KECIL
    return suppress_small(n, sensitif, user)


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
