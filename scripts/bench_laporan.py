"""Laporan measurements for scripts/bench.py (imported by it automatically; see its docstring).

Replaces bench.py's generic laporan fallbacks by name where the laporan module knows better:

* the raw-SQL baselines compute *all* the numbers the dashboards show from the base tables in one
  statement: households, living persons by sex, PPKS and PSKS by category × status per child
  area, plus the 12-month trend of new identifications;
* before the dashboard measurements the summary tables get `VACUUM ANALYZE`, the state
  autovacuum leaves them in shortly after a bulk load (the seeding upserts the same summary rows
  once per 2,000-household batch, leaving dead row versions until autovacuum runs);
* the person-level CSV export is measured on both of its paths: streamed through the view (what
  a request below the background threshold does, here for the whole province) and written to a
  file by the background job, plus the generator alone.

    .venv/bin/python scripts/bench.py --only dasbor_provinsi,sql_dasbor_provinsi
"""

import tempfile

from bench import NotAvailable, measurement
from django.db import connection
from django.test import override_settings

from tksk.models import Wilayah

RINGKASAN = ("laporan_ringkasan_desa", "laporan_ringkasan_kecamatan", "laporan_ringkasan_bulan")


def _segarkan() -> None:
    """VACUUM ANALYZE the summary tables and the area table (autocommit: outside a transaction)."""
    with connection.cursor() as c:
        for tabel in (*RINGKASAN, "tksk_wilayah"):
            c.execute(f"VACUUM ANALYZE {tabel}")


def _laporan(ctx):
    try:
        import laporan.selectors  # noqa: F401
    except ImportError:
        raise NotAvailable("modul laporan belum ada") from None


# --- baselines --------------------------------------------------------------------------------

# Every number of a dashboard of area `induk` per child area, from the base tables, in one
# statement: what the dashboard would cost without the summary tables.
SQL_DASBOR = """
SELECT w.{anak}, 'keluarga', '', 0, k.status, NULL::date, count(*)
  FROM pendataan_keluarga k JOIN tksk_wilayah w ON w.id = k.desa_id
 WHERE w.{induk} = %(induk)s GROUP BY 1, 5
UNION ALL
SELECT w.{anak}, 'individu', i.jenis_kelamin, 0, k.status, NULL, count(*)
  FROM pendataan_individu i
  JOIN pendataan_keluarga k ON k.id = i.keluarga_id
  JOIN tksk_wilayah w ON w.id = i.desa_id
 WHERE w.{induk} = %(induk)s AND i.status_hidup = 'hidup' GROUP BY 1, 3, 5
UNION ALL
SELECT w.{anak}, 'ppks', '', p.kategori_id, p.status, NULL, count(*)
  FROM pendataan_ppks p JOIN tksk_wilayah w ON w.id = p.desa_id
 WHERE w.{induk} = %(induk)s GROUP BY 1, 4, 5
UNION ALL
SELECT w.{anak}, 'psks', '', p.kategori_id, p.status, NULL, count(*)
  FROM pendataan_psks p JOIN tksk_wilayah w ON w.id = p.desa_id
 WHERE w.{induk} = %(induk)s GROUP BY 1, 4, 5
UNION ALL
SELECT NULL, 'tren', '', p.kategori_id, p.status, date_trunc('month', p.tanggal_identifikasi)::date,
       count(*)
  FROM pendataan_ppks p JOIN tksk_wilayah w ON w.id = p.desa_id
 WHERE w.{induk} = %(induk)s AND p.tanggal_identifikasi BETWEEN %(awal)s AND %(akhir)s
 GROUP BY 4, 5, 6
"""


def _sql_dasbor(kode: str, anak: str, induk: str):
    from laporan.selectors import akhir_bulan, bulan_ini, geser_bulan

    wilayah = Wilayah.objects.filter(kode=kode).first()
    if wilayah is None:
        raise NotAvailable(f"wilayah {kode} belum dimuat")
    sql = SQL_DASBOR.format(anak=anak, induk=induk)
    akhir = bulan_ini()
    params = {"induk": wilayah.pk, "awal": geser_bulan(akhir, -11), "akhir": akhir_bulan(akhir)}

    def hitung():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    return hitung


@measurement(
    "sql_dasbor_provinsi",
    runs=20,
    warmup=1,
    description="baseline: satu SQL GROUP BY mentah atas tabel dasar = semua angka dasbor provinsi "
    "(keluarga, individu per jenis kelamin, PPKS/PSKS per kategori × status per kabupaten, "
    "tren 12 bulan)",
)
def sql_dasbor_provinsi(ctx):
    return _sql_dasbor("62", "kabupaten_id", "provinsi_id")


@measurement(
    "sql_dasbor_kabupaten",
    runs=20,
    warmup=1,
    description="baseline: SQL GROUP BY mentah = semua angka dasbor Kota Palangkaraya per "
    "kecamatan",
)
def sql_dasbor_kabupaten(ctx):
    return _sql_dasbor("62.71", "kecamatan_id", "kabupaten_id")


# --- dashboards -------------------------------------------------------------------------------


def _dasbor(ctx, username: str, path: str, params=None):
    _laporan(ctx)
    _segarkan()
    client = ctx.client(username)
    return lambda: ctx.get(client, path, params or {})


@measurement(
    "dasbor_provinsi",
    target_ms=200,
    memory=True,
    baseline="sql_dasbor_provinsi",
    beat_baseline=True,
    description="dasbor provinsi /laporan/ (dinsos.prov): kabupaten, matriks kategori, tren, "
    "PSKS, hasil rujukan, kepatuhan 136 kecamatan × 12 bulan",
)
def dasbor_provinsi(ctx):
    return _dasbor(ctx, "dinsos.prov", "/laporan/")


@measurement(
    "dasbor_provinsi_saring",
    target_ms=200,
    baseline="sql_dasbor_provinsi",
    beat_baseline=True,
    description="dasbor provinsi dengan saringan: hanya terverifikasi, kategori FM, bulan lalu",
)
def dasbor_provinsi_saring(ctx):
    from laporan.selectors import bulan_ini, geser_bulan
    from tksk.models import KategoriPPKS

    fm = KategoriPPKS.objects.filter(singkatan="FM").first()
    if fm is None:
        raise NotAvailable("kategori belum dimuat")
    bulan = geser_bulan(bulan_ini(), -1)
    params = {"status": "terverifikasi", "kategori": fm.pk, "periode": f"{bulan:%Y-%m}"}
    return _dasbor(ctx, "dinsos.prov", "/laporan/", params)


@measurement(
    "dasbor_kabupaten",
    target_ms=150,
    memory=True,
    baseline="sql_dasbor_kabupaten",
    beat_baseline=True,
    description="dasbor kabupaten /laporan/ (dinsos.palangkaraya)",
)
def dasbor_kabupaten(ctx):
    return _dasbor(ctx, "dinsos.palangkaraya", "/laporan/")


@measurement(
    "dasbor_kabupaten_kapuas_dari_provinsi",
    target_ms=150,
    description="dasbor Kabupaten Kapuas (17 kecamatan) dibuka dari provinsi: "
    "/laporan/wilayah/62.03/",
)
def dasbor_kabupaten_kapuas(ctx):
    return _dasbor(ctx, "dinsos.prov", "/laporan/wilayah/62.03/")


@measurement(
    "dasbor_kecamatan",
    target_ms=150,
    description="dasbor TKSK /laporan/ (tksk.pahandut): desa, perlu perhatian, laporan bulan ini",
)
def dasbor_kecamatan(ctx):
    return _dasbor(ctx, "tksk.pahandut", "/laporan/")


# --- PDF and recaps ---------------------------------------------------------------------------


@measurement(
    "laporan_bulanan_pdf",
    target_ms=2000,
    runs=10,
    warmup=1,
    description="PDF laporan bulanan TKSK Pahandut bulan lalu, diajukan (angka beku)",
)
def laporan_bulanan_pdf(ctx):
    _laporan(ctx)
    from laporan.models import LaporanBulanan
    from laporan.selectors import bulan_ini, geser_bulan
    from laporan.services import laporan_ajukan, laporan_buka

    pelaku = ctx.user("tksk.pahandut")
    laporan, dibuat = laporan_buka(pelaku=pelaku, bulan=geser_bulan(bulan_ini(), -1))
    if dibuat:
        ctx.cleanup(lambda: LaporanBulanan.objects.filter(pk=laporan.pk).delete())
    if laporan.boleh_diubah:
        laporan = laporan_ajukan(pelaku=pelaku, laporan=laporan)
    client = ctx.client("tksk.pahandut")
    url = ctx.url("laporan:bulanan-pdf", uuid=laporan.uuid)

    def unduh():
        response = ctx.get(client, url)
        if not response["Content-Type"].startswith("application/pdf"):
            raise AssertionError(f"bukan PDF: {response['Content-Type']}")

    return unduh


@measurement(
    "laporan_bulanan_ajukan",
    target_ms=1000,
    runs=10,
    warmup=1,
    description="ajukan laporan bulanan (menyusun dan membekukan angka sebulan satu kecamatan)",
)
def laporan_bulanan_ajukan(ctx):
    _laporan(ctx)
    from laporan.models import LaporanBulanan
    from laporan.selectors import bulan_ini, geser_bulan
    from laporan.services import laporan_ajukan, laporan_buka

    pelaku = ctx.user("tksk.pahandut")
    laporan, dibuat = laporan_buka(pelaku=pelaku, bulan=geser_bulan(bulan_ini(), -2))
    simpanan = LaporanBulanan.objects.filter(pk=laporan.pk).values().get()

    def pulihkan():
        if dibuat:
            LaporanBulanan.objects.filter(pk=laporan.pk).delete()
        else:
            LaporanBulanan.objects.filter(pk=laporan.pk).update(
                **{k: v for k, v in simpanan.items() if k != "id"}
            )

    ctx.cleanup(pulihkan)

    def ajukan():
        LaporanBulanan.objects.filter(pk=laporan.pk).update(status="draf")
        laporan.refresh_from_db()
        laporan_ajukan(pelaku=pelaku, laporan=laporan)

    return ajukan


@measurement(
    "rekap_provinsi_pdf",
    target_ms=5000,
    runs=5,
    warmup=1,
    description="rekap PPKS provinsi PDF dengan grafik /laporan/rekap/ppks/?wilayah=62&format=pdf",
)
def rekap_provinsi_pdf(ctx):
    _laporan(ctx)
    client = ctx.client("dinsos.prov")

    def unduh():
        response = ctx.get(client, "/laporan/rekap/ppks/", {"wilayah": "62", "format": "pdf"})
        if not response["Content-Type"].startswith("application/pdf"):
            raise AssertionError(f"bukan PDF: {response['Content-Type']}")

    return unduh


@measurement(
    "rekap_provinsi_xlsx",
    target_ms=1000,
    runs=10,
    description="rekap PPKS provinsi XLSX /laporan/rekap/ppks/?wilayah=62&format=xlsx",
)
def rekap_provinsi_xlsx(ctx):
    _laporan(ctx)
    client = ctx.client("dinsos.prov")
    return lambda: ctx.get(client, "/laporan/rekap/ppks/", {"wilayah": "62", "format": "xlsx"})


# --- person-level exports ---------------------------------------------------------------------


def _permintaan(ctx, fmt="csv"):
    _laporan(ctx)
    from laporan import exports

    pelaku = ctx.user("dinsos.prov")
    return pelaku, exports.Permintaan(jenis="individu", wilayah=pelaku.wilayah, format=fmt)


@measurement(
    "ekspor_csv_individu_provinsi",
    runs=3,
    warmup=0,
    min_rows_per_s=50_000,
    max_rss_mib=300,
    description="pembangkit CSV semua individu provinsi (NIK disamarkan), kursor sisi server; "
    ">= 50.000 baris/s, RSS puncak proses < 300 MB",
)
def ekspor_csv_individu_provinsi(ctx):
    from laporan import exports

    pelaku, permintaan = _permintaan(ctx)

    def ekspor():
        e = exports.ekspor_untuk(pelaku, permintaan)
        n = 0

        def hitung():
            nonlocal n
            for row in e.baris():
                n += 1
                yield row

        for _ in exports.csv_potongan(e.kolom, hitung(), teks=e.teks):
            pass
        ctx.rows = n

    return ekspor


@measurement(
    "ekspor_csv_http_individu_provinsi",
    runs=2,
    warmup=0,
    min_rows_per_s=50_000,
    max_rss_mib=300,
    description="ekspor CSV semua individu provinsi lewat view (POST /laporan/ekspor/, "
    "StreamingHttpResponse, batas latar belakang dinaikkan agar dialirkan)",
)
def ekspor_csv_http_individu_provinsi(ctx):
    pelaku, _ = _permintaan(ctx)
    client = ctx.client("dinsos.prov")
    data = {"jenis": "individu", "wilayah": pelaku.wilayah_id, "format": "csv", "status": ""}

    def ekspor():
        with override_settings(EKSPOR_BATAS_LANGSUNG=10**9):
            response = client.post("/laporan/ekspor/", data, secure=True)
        if not response.streaming:
            raise AssertionError(f"tidak dialirkan: {response.status_code}")
        baris = 0
        for potong in response.streaming_content:
            baris += potong.count(b"\n")
        ctx.rows = baris - 1

    return ekspor


@measurement(
    "ekspor_job_individu_provinsi",
    runs=2,
    warmup=0,
    min_rows_per_s=50_000,
    max_rss_mib=300,
    description="tugas latar belakang siapkan_ekspor: CSV semua individu provinsi ke berkas",
)
def ekspor_job_individu_provinsi(ctx):
    from django.utils import timezone

    from laporan.models import BerkasEkspor
    from laporan.tasks import siapkan_ekspor

    pelaku, permintaan = _permintaan(ctx)
    folder = tempfile.TemporaryDirectory(prefix="tksk-bench-")
    ctx.cleanup(folder.cleanup)
    dibuat = []
    ctx.cleanup(lambda: BerkasEkspor.objects.filter(pk__in=dibuat).delete())

    def ekspor():
        berkas = BerkasEkspor.objects.create(
            pemohon=pelaku,
            wilayah=permintaan.wilayah,
            jenis="individu",
            format="csv",
            parameter=permintaan.parameter(),
            kedaluwarsa_pada=timezone.now() + timezone.timedelta(hours=1),
        )
        dibuat.append(berkas.pk)
        with override_settings(MEDIA_ROOT=folder.name):
            ctx.rows = siapkan_ekspor.call(berkas.pk)

    return ekspor
