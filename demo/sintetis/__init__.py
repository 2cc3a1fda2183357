"""Synthetic demo data: households with their members, PPKS and PSKS across Kalimantan Tengah.

`buat_data_sintetis(target, seed=...)` tops the database up to `target` households (every
Keluarga row counts, so a re-run with the same target adds nothing). The people are fictitious but
behave like a real register: household compositions with plausible ages, NIKs whose date block
matches the birth date (about 2% deliberately do not, to exercise the warnings), a No KK per
household, the religion, education and occupation mix of the province, about 1% without NIK with a
reason, PPKS and PSKS entries and every verification status.

Speed matters (100,000 households, ~380,000 persons, in well under three minutes on two cores):
rows are generated as plain lists from precomputed tables and written with PostgreSQL COPY, ids
are reserved from the tables' sequences once per batch, and the auto_now fields are written
explicitly (COPY bypasses Model.save, so their values are ours).

Reproducible: every household draws from its own generator seeded by (seed, household number), so
the same seed on the same database state gives the same people, and a top-up continues the
numbering. NIK and No KK serials come from counters that start after the highest serial already
stored under the same prefix, so they never collide with existing rows. Dates are relative to
today: on another day the same people come out with their dates shifted.
"""

from demo.sintetis.muat import Hasil, buat_data_sintetis

__all__ = ["Hasil", "buat_data_sintetis"]
