"""Bases of the list filters: incremental sync (`updated_since`), `desa`, a name `search` that
each resource defines, and `nik=lengkap` for resources that carry NIK/No KK."""

import datetime as dt

import django_filters


class SaringSinkron(django_filters.FilterSet):
    desa = django_filters.CharFilter(
        field_name="desa__kode", help_text="Kode Kemendagri desa/kelurahan, mis. 62.71.01.1002."
    )
    updated_since = django_filters.IsoDateTimeFilter(
        method="sejak",
        help_text="Sinkronisasi bertahap: hanya data yang diubah pada/sesudah waktu ini (ISO "
        "8601, mis. 2026-01-31T08:00:00+07:00). Daftar selalu berurutan (diubah_pada, id), "
        "jadi halaman demi halaman tidak ada baris yang terlewat.",
    )
    search = django_filters.CharFilter(
        method="cari",
        max_length=100,
        help_text="Nama (sebagian). NIK/No KK tidak boleh di alamat (ditolak 400): cari dengan "
        "POST /api/v1/individu/cari/ atau /api/v1/keluarga/cari/. Nomor sebagian tidak dicari.",
    )

    def cari(self, queryset, name, value):
        return queryset

    def sejak(self, queryset, name, value):
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 parsing accepts.
        try:
            value = value.astimezone(dt.UTC)
        except OverflowError:  # beyond year 1 or 9999 once in UTC
            return queryset if value.year < 5000 else queryset.none()
        return queryset.filter(diubah_pada__gte=value)


class SaringNIK(SaringSinkron):
    """For resources that carry NIK/No KK: masked in lists unless `?nik=lengkap`."""

    nik = django_filters.ChoiceFilter(
        choices=[("lengkap", "lengkap")],
        method="tanpa_saring",
        help_text="`lengkap`: tampilkan NIK/No KK lengkap di daftar (dicatat di log audit).",
    )

    def tanpa_saring(self, queryset, name, value):
        return queryset
