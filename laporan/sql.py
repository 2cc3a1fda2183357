"""SQL that keeps the summary tables (laporan_ringkasan_*) equal to the pendataan tables.

Statement-level AFTER triggers with transition tables on pendataan_keluarga, _individu, _ppks and
_psks turn every INSERT/UPDATE/DELETE (ORM saves, queryset updates, raw SQL and COPY alike) into
one set of signed deltas per statement, grouped by key, and upsert them with
`INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n`. One statement that COPYs 100,000 rows
costs one grouped upsert, not 100,000 row triggers.

Rules the deltas follow (the rebuild below computes the same from scratch):
* A household counts in its desa under its verification status.
* A living person counts in their own desa (a copy of the household's) under the *current*
  status of their household, so a household status change moves its members' counts too, and a
  person counts only while their household row exists (a deferred-FK transaction may insert or
  delete them in either order).
* A PPKS counts per desa × category × status × sex, and per month of identification (trend).
  Its desa and sex are copies of its subject's, kept by the triggers of laporan/sql_salinan.py;
  the expected counts below (rebuild, drift check) read them from the subject itself.
* A PSKS counts per desa × category × status.
"""

from string import Template

from laporan import sql_salinan

KEY = "desa_id, metrik, kategori_id, status, jenis_kelamin, bulan, n"


def _isi(template: str, **bagian: str) -> str:
    """Fill a statement template with other constant fragments of this module (never with
    data: values always travel as query parameters)."""
    return Template(template).substitute(bagian)


# Rows of a transition table (alias t) as keys with sign {s}.
PROYEKSI = {
    "keluarga": (
        "SELECT t.desa_id, 'keluarga'::varchar, 0::bigint, t.status::varchar, ''::varchar, "
        "NULL::date, {s}::bigint FROM {src} t"
    ),
    "individu": (
        "SELECT t.desa_id, 'individu'::varchar, 0::bigint, k.status::varchar, "
        "t.jenis_kelamin::varchar, NULL::date, {s}::bigint FROM {src} t "
        "JOIN pendataan_keluarga k ON k.id = t.keluarga_id WHERE t.status_hidup = 'hidup'"
    ),
    "ppks": (
        "SELECT t.desa_id, 'ppks'::varchar, t.kategori_id::bigint, t.status::varchar, "
        "t.jenis_kelamin::varchar, date_trunc('month', t.tanggal_identifikasi)::date, "
        "{s}::bigint FROM {src} t"
    ),
    "psks": (
        "SELECT t.desa_id, 'psks'::varchar, t.kategori_id::bigint, t.status::varchar, "
        "''::varchar, NULL::date, {s}::bigint FROM {src} t"
    ),
}

# Members of households in a transition table (alias h), counted under status {status}.
ANGGOTA = (
    "SELECT i.desa_id, 'individu'::varchar, 0::bigint, {status}::varchar, "
    "i.jenis_kelamin::varchar, NULL::date, {s}::bigint FROM {src} h "
    "JOIN pendataan_individu i ON i.keluarga_id = h.id{join} WHERE i.status_hidup = 'hidup'"
)


def _delta(tabel: str, event: str) -> str:
    proj = PROYEKSI[tabel]
    bagian = []
    if event in ("UPDATE", "DELETE"):
        bagian.append(proj.format(s=-1, src="lama"))
    if event in ("UPDATE", "INSERT"):
        bagian.append(proj.format(s=1, src="baru"))
    if tabel == "keluarga":
        if event == "INSERT":
            bagian.append(ANGGOTA.format(status="h.status", s=1, src="baru", join=""))
        elif event == "DELETE":
            bagian.append(ANGGOTA.format(status="h.status", s=-1, src="lama", join=""))
        else:
            berubah = " JOIN baru b ON b.id = h.id AND b.status IS DISTINCT FROM h.status"
            bagian.append(ANGGOTA.format(status="h.status", s=-1, src="lama", join=berubah))
            berubah = " JOIN lama b ON b.id = h.id AND b.status IS DISTINCT FROM h.status"
            bagian.append(ANGGOTA.format(status="h.status", s=1, src="baru", join=berubah))
    return "\n      UNION ALL ".join(bagian)


UPSERT = """
    WITH d AS (
      SELECT desa_id, metrik, kategori_id, status, jenis_kelamin, bulan, sum(n)::bigint AS n
      FROM ({delta}) x({key})
      GROUP BY 1, 2, 3, 4, 5, 6
    ), ds AS (
      INSERT INTO laporan_ringkasan_desa AS r
        (desa_id, metrik, kategori_id, status, jenis_kelamin, n, diubah_pada)
      SELECT desa_id, metrik, kategori_id, status, jenis_kelamin, sum(n), clock_timestamp()
      FROM d GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (desa_id, metrik, kategori_id, status, jenis_kelamin)
      DO UPDATE SET n = r.n + excluded.n, diubah_pada = excluded.diubah_pada
    ), kc AS (
      INSERT INTO laporan_ringkasan_kecamatan AS r
        (kecamatan_id, metrik, kategori_id, status, n, diubah_pada)
      SELECT w.kecamatan_id, d.metrik, d.kategori_id, d.status, sum(d.n), clock_timestamp()
      FROM d JOIN tksk_wilayah w ON w.id = d.desa_id
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (kecamatan_id, metrik, kategori_id, status)
      DO UPDATE SET n = r.n + excluded.n, diubah_pada = excluded.diubah_pada
    )
    INSERT INTO laporan_ringkasan_bulan AS r
      (kecamatan_id, metrik, kategori_id, status, bulan, n, diubah_pada)
    SELECT w.kecamatan_id, d.metrik, d.kategori_id, d.status, d.bulan, sum(d.n), clock_timestamp()
    FROM d JOIN tksk_wilayah w ON w.id = d.desa_id
    WHERE d.bulan IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (kecamatan_id, metrik, kategori_id, status, bulan)
    DO UPDATE SET n = r.n + excluded.n, diubah_pada = excluded.diubah_pada;"""

TABEL = ("keluarga", "individu", "ppks", "psks")
EVENTS = {"INSERT": "ins", "UPDATE": "upd", "DELETE": "del"}
REFERENSI = {
    "INSERT": "REFERENCING NEW TABLE AS baru",
    "UPDATE": "REFERENCING OLD TABLE AS lama NEW TABLE AS baru",
    "DELETE": "REFERENCING OLD TABLE AS lama",
}
# What a TRUNCATE of a base table empties (keluarga cannot be truncated without individu).
KOSONGKAN = {
    "keluarga": ("keluarga", "individu"),
    "individu": ("individu",),
    "ppks": ("ppks",),
    "psks": ("psks",),
}


def _fungsi(tabel: str) -> str:
    cabang = []
    for i, event in enumerate(EVENTS):
        kata = "IF" if i == 0 else "ELSIF"
        cabang.append(
            f"  {kata} TG_OP = '{event}' THEN" + UPSERT.format(delta=_delta(tabel, event), key=KEY)
        )
    return (
        f"CREATE OR REPLACE FUNCTION laporan_ringkasan_{tabel}() RETURNS trigger\n"
        "LANGUAGE plpgsql AS $fn$\nBEGIN\n"
        + "\n".join(cabang)
        + "\n  END IF;\n  RETURN NULL;\nEND\n$fn$;"
    )


def _fungsi_kosongkan(tabel: str) -> str:
    metrik = ", ".join(f"'{m}'" for m in KOSONGKAN[tabel])
    hapus = "\n".join(
        _isi("  DELETE FROM $t WHERE metrik IN ($m);", t=t, m=metrik)
        for t in (
            "laporan_ringkasan_desa",
            "laporan_ringkasan_kecamatan",
            "laporan_ringkasan_bulan",
        )
    )
    return (
        f"CREATE OR REPLACE FUNCTION laporan_ringkasan_kosongkan_{tabel}() RETURNS trigger\n"
        f"LANGUAGE plpgsql AS $fn$\nBEGIN\n{hapus}\n  RETURN NULL;\nEND\n$fn$;"
    )


def buat_trigger() -> list[str]:
    sql = []
    for tabel in TABEL:
        sql.append(_fungsi(tabel))
        sql.append(_fungsi_kosongkan(tabel))
        for event, akhiran in EVENTS.items():
            sql.append(
                f"CREATE TRIGGER laporan_ringkasan_{akhiran} AFTER {event} "
                f"ON pendataan_{tabel} {REFERENSI[event]} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION laporan_ringkasan_{tabel}();"
            )
        sql.append(
            f"CREATE TRIGGER laporan_ringkasan_trunc AFTER TRUNCATE ON pendataan_{tabel} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION laporan_ringkasan_kosongkan_{tabel}();"
        )
    return sql


def hapus_trigger() -> list[str]:
    sql = []
    for tabel in TABEL:
        for akhiran in [*EVENTS.values(), "trunc"]:
            sql.append(f"DROP TRIGGER IF EXISTS laporan_ringkasan_{akhiran} ON pendataan_{tabel};")
        sql.append(f"DROP FUNCTION IF EXISTS laporan_ringkasan_{tabel}();")
        sql.append(f"DROP FUNCTION IF EXISTS laporan_ringkasan_kosongkan_{tabel}();")
    return sql


# --- Rebuild from scratch ---------------------------------------------------------------------

# Every PPKS with the desa and sex of its subject itself (a person's desa is their household's),
# not the copies the row carries: what the expected counts are computed from, so that a stale
# copy shows up as a difference.
PPKS_SUBJEK = """
      SELECT p.kategori_id, p.status, p.tanggal_identifikasi, p.diubah_pada,
             CASE p.subjek WHEN 'individu' THEN ki.desa_id WHEN 'keluarga' THEN k.desa_id
                  ELSE p.desa_id END AS desa_subjek,
             CASE p.subjek WHEN 'individu' THEN i.jenis_kelamin ELSE '' END AS jk_subjek
      FROM pendataan_ppks p
      LEFT JOIN pendataan_individu i ON i.id = p.individu_id AND p.subjek = 'individu'
      LEFT JOIN pendataan_keluarga ki ON ki.id = i.keluarga_id
      LEFT JOIN pendataan_keluarga k ON k.id = p.keluarga_id AND p.subjek = 'keluarga'"""

# Expected rows of laporan_ringkasan_desa, computed from the base tables.
HARAPAN_DESA = """
    SELECT desa_id, metrik, kategori_id, status, jenis_kelamin, sum(n)::bigint AS n,
           max(t) AS diubah_pada
    FROM (
      SELECT desa_id, 'keluarga'::varchar AS metrik, 0::bigint AS kategori_id,
             status::varchar, ''::varchar AS jenis_kelamin, count(*) AS n, max(diubah_pada) AS t
      FROM pendataan_keluarga GROUP BY desa_id, status
      UNION ALL
      SELECT k.desa_id, 'individu', 0, k.status, i.jenis_kelamin, count(*), max(i.diubah_pada)
      FROM pendataan_individu i JOIN pendataan_keluarga k ON k.id = i.keluarga_id
      WHERE i.status_hidup = 'hidup'
      GROUP BY k.desa_id, k.status, i.jenis_kelamin
      UNION ALL
      SELECT desa_subjek, 'ppks', kategori_id, status, jk_subjek, count(*), max(diubah_pada)
      FROM ($ppks) p GROUP BY desa_subjek, kategori_id, status, jk_subjek
      UNION ALL
      SELECT desa_id, 'psks', kategori_id, status, '', count(*), max(diubah_pada)
      FROM pendataan_psks GROUP BY desa_id, kategori_id, status
    ) x
    GROUP BY desa_id, metrik, kategori_id, status, jenis_kelamin"""

HARAPAN_BULAN = """
    SELECT w.kecamatan_id, 'ppks'::varchar AS metrik, p.kategori_id, p.status,
           date_trunc('month', p.tanggal_identifikasi)::date AS bulan, count(*)::bigint AS n,
           max(p.diubah_pada) AS diubah_pada
    FROM ($ppks) p JOIN tksk_wilayah w ON w.id = p.desa_subjek
    GROUP BY 1, 2, 3, 4, 5"""

HARAPAN_DESA = _isi(HARAPAN_DESA, ppks=PPKS_SUBJEK)
HARAPAN_BULAN = _isi(HARAPAN_BULAN, ppks=PPKS_SUBJEK)

KUNCI_LOCK = (
    "LOCK TABLE pendataan_keluarga, pendataan_individu, pendataan_ppks, pendataan_psks "
    "IN SHARE MODE"
)

BANGUN_ULANG = [
    "TRUNCATE laporan_ringkasan_desa, laporan_ringkasan_kecamatan, laporan_ringkasan_bulan",
    _isi(
        "INSERT INTO laporan_ringkasan_desa "
        "(desa_id, metrik, kategori_id, status, jenis_kelamin, n, diubah_pada) "
        "SELECT desa_id, metrik, kategori_id, status, jenis_kelamin, n, diubah_pada "
        "FROM ($h) h",
        h=HARAPAN_DESA,
    ),
    "INSERT INTO laporan_ringkasan_kecamatan "
    "(kecamatan_id, metrik, kategori_id, status, n, diubah_pada) "
    "SELECT w.kecamatan_id, r.metrik, r.kategori_id, r.status, sum(r.n), max(r.diubah_pada) "
    "FROM laporan_ringkasan_desa r JOIN tksk_wilayah w ON w.id = r.desa_id GROUP BY 1, 2, 3, 4",
    _isi(
        "INSERT INTO laporan_ringkasan_bulan "
        "(kecamatan_id, metrik, kategori_id, status, bulan, n, diubah_pada) "
        "SELECT * FROM ($h) h",
        h=HARAPAN_BULAN,
    ),
]

# Differences between what the tables hold and what the base tables say (rows with n = 0 are
# the same as no row). Each query returns the differing keys with (held, expected).
SELISIH = {
    "laporan_ringkasan_desa": """
        SELECT coalesce(a.desa_id, b.desa_id), coalesce(a.metrik, b.metrik),
               coalesce(a.kategori_id, b.kategori_id), coalesce(a.status, b.status),
               coalesce(a.jenis_kelamin, b.jenis_kelamin), coalesce(a.n, 0), coalesce(b.n, 0)
        FROM (SELECT * FROM laporan_ringkasan_desa WHERE n <> 0) a
        FULL JOIN ($desa) b
          ON (a.desa_id, a.metrik, a.kategori_id, a.status, a.jenis_kelamin)
           = (b.desa_id, b.metrik, b.kategori_id, b.status, b.jenis_kelamin)
        WHERE coalesce(a.n, 0) <> coalesce(b.n, 0)""",
    "laporan_ringkasan_kecamatan": """
        SELECT coalesce(a.kecamatan_id, b.kecamatan_id), coalesce(a.metrik, b.metrik),
               coalesce(a.kategori_id, b.kategori_id), coalesce(a.status, b.status),
               coalesce(a.n, 0), coalesce(b.n, 0)
        FROM (SELECT * FROM laporan_ringkasan_kecamatan WHERE n <> 0) a
        FULL JOIN (
          SELECT w.kecamatan_id, h.metrik, h.kategori_id, h.status, sum(h.n) AS n
          FROM ($desa) h JOIN tksk_wilayah w ON w.id = h.desa_id GROUP BY 1, 2, 3, 4
        ) b
          ON (a.kecamatan_id, a.metrik, a.kategori_id, a.status)
           = (b.kecamatan_id, b.metrik, b.kategori_id, b.status)
        WHERE coalesce(a.n, 0) <> coalesce(b.n, 0)""",
    "laporan_ringkasan_bulan": """
        SELECT coalesce(a.kecamatan_id, b.kecamatan_id), coalesce(a.metrik, b.metrik),
               coalesce(a.kategori_id, b.kategori_id), coalesce(a.status, b.status),
               coalesce(a.bulan, b.bulan), coalesce(a.n, 0), coalesce(b.n, 0)
        FROM (SELECT * FROM laporan_ringkasan_bulan WHERE n <> 0) a
        FULL JOIN ($bulan) b
          ON (a.kecamatan_id, a.metrik, a.kategori_id, a.status, a.bulan)
           = (b.kecamatan_id, b.metrik, b.kategori_id, b.status, b.bulan)
        WHERE coalesce(a.n, 0) <> coalesce(b.n, 0)""",
}


def bangun_ulang(cursor) -> None:
    """Set stale copies of a subject's desa and sex right, then recompute every summary row
    from the base tables (writers wait meanwhile)."""
    cursor.execute(KUNCI_LOCK)
    sql_salinan.perbaiki(cursor)
    for statement in BANGUN_ULANG:
        cursor.execute(statement)


def selisih(cursor) -> dict[str, list[tuple]]:
    hasil = {}
    for tabel, query in SELISIH.items():
        cursor.execute(_isi(query, desa=HARAPAN_DESA, bulan=HARAPAN_BULAN))
        hasil[tabel] = cursor.fetchall()
    return hasil
