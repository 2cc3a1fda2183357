"""Audit: every write of personal data leaves a history or audit row saying who and when (bulk
writes included); no 16-digit number reaches the history, the audit log or the log output;
the app cannot rewrite the audit log; an admin can find who looked at a person's record."""

import io
import json
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from pendataan.models import Individu, Keluarga, Riwayat
from tests.matrix import SCOPED
from tests.security import (
    ENAM_BELAS,
    ROOT,
    anggota,
    beda,
    isi_dunia,
    jelajah,
    media_fixture,  # noqa: F401
    pengguna_untuk,
    sidik_jari,
)
from tksk.logging import MaskNIKFilter
from tksk.models import AuditLog

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

# Tables of personal data (and what links people to activities and referrals).
DATA_PRIBADI = {
    "pendataan_keluarga",
    "pendataan_individu",
    "pendataan_ppks",
    "pendataan_psks",
    "pendataan_kasusganda",
    "koordinasi_kegiatan",
    "koordinasi_kegiatan_peserta_individu",
    "koordinasi_kegiatan_peserta_keluarga",
    "koordinasi_fotokegiatan",
    "koordinasi_tindaklanjut",
    "koordinasi_rujukan",
    "laporan_laporanbulanan",
}


def _jejak_sejak(user, audit_pk: int, riwayat_pk: int) -> list:
    """History and audit rows written by `user` since the given ids, with their time."""
    rows = list(AuditLog.objects.filter(pk__gt=audit_pk, pelaku=user).values_list("aksi", "waktu"))
    rows += list(
        Riwayat.objects.filter(pk__gt=riwayat_pk, pelaku=user).values_list("aksi", "waktu")
    )
    return [r for r in rows if r[1] is not None]


def _pk_terakhir(model) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


POST_MATRIX = [e for e in SCOPED if e.method == "post" and not e.name.startswith("api:")]


@pytest.mark.parametrize("entry", POST_MATRIX, ids=lambda e: e.name)
def test_every_write_through_the_app_leaves_who_and_when(entry, world, client):
    """Every POST of the apps (from the scoping matrix: verification batches, photos,
    participants, follow-ups, referral steps, duplicate cases, reports...) that changes
    personal data writes a history or audit row naming the user."""
    user = pengguna_untuk(world, entry.roles)
    path, data = entry.build(world, "pahandut")
    client.force_login(user)
    before = sidik_jari()
    audit_pk, riwayat_pk = _pk_terakhir(AuditLog), _pk_terakhir(Riwayat)
    response = client.post(path, data or {})
    assert response.status_code < 400, response.status_code
    changed = set(beda(before, sidik_jari())) & DATA_PRIBADI
    if changed:
        assert _jejak_sejak(user, audit_pk, riwayat_pk), (
            f"{entry.name} changed {sorted(changed)} without a history or audit row"
        )


def test_a_verification_batch_records_each_record(world, client):
    from tests.matrix.keluarga import buat_keluarga

    keluarga = [buat_keluarga(world, "pahandut", status="diajukan") for _ in range(3)]
    kab = world.users["kab_palangkaraya"]
    client.force_login(kab)
    response = client.post(
        reverse("pendataan:verifikasi-aksi"),
        {"tipe": "keluarga", "aksi": "verifikasi", "uuid": [str(k.uuid) for k in keluarga]},
    )
    assert response.status_code == 302
    for k in keluarga:
        row = Riwayat.objects.get(objek_uuid=k.uuid, aksi="transisi")
        assert row.pelaku == kab and row.waktu is not None and row.status_ke == "terverifikasi"
    batch = AuditLog.objects.get(aksi="verifikasi_verifikasi")
    assert batch.pelaku == kab and batch.data["jumlah"] == 3


def test_member_deleted_by_mistake_keeps_a_history_row(world, client):
    from tests.matrix.keluarga import anggota_form, buat_keluarga, form_ubah

    keluarga = buat_keluarga(
        world, "pahandut", anggota=[anggota("Kepala"), anggota("Salah Ketik", hubungan="anak")]
    )
    rows = anggota_form(keluarga)
    rows[1]["DELETE"] = "on"
    client.force_login(world.users["tksk_pahandut"])
    response = client.post(
        reverse("pendataan:keluarga-update", args=[keluarga.uuid]), form_ubah(keluarga, rows)
    )
    assert response.status_code == 302
    assert keluarga.anggota.count() == 1
    row = Riwayat.objects.get(aksi="hapus", keluarga_uuid=keluarga.uuid)
    assert row.pelaku == world.users["tksk_pahandut"] and row.perubahan["nama"][0] == "Salah Ketik"


def test_synthetic_load_says_who_and_when_for_every_household(world):
    """The synthetic data load (seed_demo) writes rows in bulk: each household still has a
    history row with its time, and the load names who ran it (a history row per household with
    its recording user, or an audit entry for the run)."""
    from demo.sintetis import buat_data_sintetis

    buat_data_sintetis(12, seed=11)
    assert Keluarga.objects.count() == 12
    tanpa_riwayat = Keluarga.objects.exclude(
        uuid__in=Riwayat.objects.filter(objek_tipe="keluarga").values("objek_uuid")
    )
    assert not tanpa_riwayat.exists()
    assert not Riwayat.objects.filter(waktu__isnull=True).exists()
    tanpa_pelaku = Riwayat.objects.filter(objek_tipe="keluarga", pelaku__isnull=True).count()
    dicatat = AuditLog.objects.filter(aksi__iregex=r"sintetis|seed").exists()
    assert tanpa_pelaku == 0 or dicatat, (
        f"{tanpa_pelaku} of {Riwayat.objects.filter(objek_tipe='keluarga').count()} household "
        "history rows of the synthetic load name nobody, and no audit entry records the load"
    )


# --- no 16-digit number in history or audit --------------------------------------------------


def _skenario_lengkap(world, client):
    """Everything the apps write, by every role: the filled world, every POST of the matrix,
    a crawl by a TKSK (full-NIK views, PDFs, exports) and a duplicate case resolved."""
    isi_dunia(world)
    for entry in POST_MATRIX:
        user = pengguna_untuk(world, entry.roles)
        path, data = entry.build(world, "pahandut")
        client.force_login(user)
        client.post(path, data or {})
    client.force_login(world.users["tksk_pahandut"])
    for _ in jelajah(client, batas=35, per_rute=1):
        pass


HASH = ("sha256",)


def test_history_and_audit_log_never_hold_a_sixteen_digit_number(world, client):
    _skenario_lengkap(world, client)
    assert Riwayat.objects.count() > 20 and AuditLog.objects.count() > 20
    found = []
    for row in Riwayat.objects.all():
        text = json.dumps(row.perubahan, ensure_ascii=False) + row.catatan
        if ENAM_BELAS.search(text):
            found.append(f"riwayat {row.objek_tipe} {row.aksi}: {text[:120]}")
    for row in AuditLog.objects.all():
        # An upload's sha256 is no personal data, and 64 random hex characters hold a run of
        # 17 digits or more now and then (about one upload in 160), which is no NIK to mask.
        data = {k: v for k, v in row.data.items() if k not in HASH}
        text = json.dumps(data, ensure_ascii=False) + row.objek_label
        if ENAM_BELAS.search(text):
            found.append(f"audit {row.aksi}: {text[:120]}")
    assert not found, "\n".join(found[:20])
    # The NIKs were there to be leaked: the masked form is what the history holds.
    assert Riwayat.objects.filter(perubahan__has_key="nik").exists()


# --- the log output ----------------------------------------------------------------------------


def _handler_terkonfigurasi() -> logging.Handler:
    """The handler that settings.LOGGING puts on the root logger, with its filters."""
    config = settings.LOGGING
    for name in config["root"]["handlers"]:
        assert "mask_nik" in config["handlers"][name].get("filters", []), name
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, MaskNIKFilter) for f in h.filters)
    ]
    assert handlers, "no root handler carries MaskNIKFilter: settings.LOGGING is not applied"
    return handlers[0]


def test_every_configured_handler_masks_numbers():
    config = settings.LOGGING
    assert config["filters"]["mask_nik"]["()"] == "tksk.logging.MaskNIKFilter"
    for name, handler in config["handlers"].items():
        assert "mask_nik" in handler.get("filters", []), f"handler {name} lets NIKs through"
    for logger in config.get("loggers", {}).values():
        for name in logger.get("handlers", []):
            assert "mask_nik" in config["handlers"][name].get("filters", []), name


def test_log_output_never_contains_a_nik(world, client):
    """Through the configured handler and formatter: a NIK in a 404 path, in log arguments, in
    an exception message with its traceback (a database error names the duplicate key) and in
    a stack trace is masked."""
    handler = _handler_terkonfigurasi()
    stream = io.StringIO()
    old = handler.setStream(stream)
    old_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.INFO)
    nik = "6271015708900077"
    try:
        client.force_login(world.users["tksk_pahandut"])
        client.get(f"/pendataan/keluarga/{nik}/")
        logger = logging.getLogger("pendataan.uji")
        logger.warning("NIK %s tidak ditemukan", nik)
        logger.warning("data %(nik)s", {"nik": nik})
        from tests.matrix.keluarga import buat_keluarga

        kel = buat_keluarga(world, "pahandut", anggota=[{**anggota("Asli"), "nik": nik}])
        try:
            with transaction.atomic():
                Individu.objects.create(
                    keluarga=kel, desa=kel.desa, nik=nik, nama="Ganda", jenis_kelamin="L",
                    hubungan="anak",
                )  # fmt: skip
        except IntegrityError:
            logging.getLogger("django.request").error("Internal Server Error", exc_info=True)
        logger.info("jejak %s", "x", stack_info=True, extra={"nik": nik})
        try:
            raise ValueError(f"NIK {nik} bermasalah")
        except ValueError:
            logger.exception("gagal")
    finally:
        handler.setStream(old)
        logging.getLogger().setLevel(old_level)
    output = stream.getvalue()
    assert "6271********0077" in output and "Internal Server Error" in output
    assert "Traceback" in output
    assert not ENAM_BELAS.search(output), [
        line for line in output.splitlines() if ENAM_BELAS.search(line)
    ][:5]


# --- the audit log cannot be rewritten by the app -----------------------------------------------


def test_no_code_path_updates_or_deletes_audit_rows():
    """The database refuses UPDATE/DELETE on the audit log and the history (below); the code
    does not even try (a raw path or a .update() would be a bug waiting for that trigger to go).
    The scripts count too: a benchmark that cleaned up after itself once deleted history."""
    pattern = re.compile(r"(AuditLog|Riwayat)\.objects[^\n]*\.(update|delete|bulk_update)\(")
    raw = re.compile(r"(UPDATE|DELETE FROM)\s+\"?(tksk_auditlog|pendataan_riwayat)", re.IGNORECASE)
    offenders = []
    for folder in ("tksk", "pendataan", "koordinasi", "laporan", "scripts"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for match in pattern.finditer(text):
                line = text[: match.start()].count("\n") + 1
                offenders.append(f"{Path(path).relative_to(ROOT)}:{line}")
            if raw.search(text):
                offenders.append(str(Path(path).relative_to(ROOT)))
    assert not offenders, offenders


def _baris_riwayat(world):
    from tests.matrix.keluarga import buat_keluarga

    keluarga = buat_keluarga(world, "pahandut")
    return Riwayat.objects.filter(objek_uuid=keluarga.uuid).first()


@pytest.mark.parametrize("tabel", ["tksk_auditlog", "pendataan_riwayat"])
def test_audit_rows_refuse_rewrites_from_the_orm_and_raw_sql(world, tabel):
    from django.db import connection

    if tabel == "tksk_auditlog":
        row = AuditLog.objects.create(aksi="uji", data={"x": 1})
    else:
        row = _baris_riwayat(world)
    aksi = row.aksi
    for sql in (
        f"UPDATE {tabel} SET aksi = 'palsu' WHERE id = %s",
        f"DELETE FROM {tabel} WHERE id = %s",
    ):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [row.pk])
    model = type(row)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        model.objects.filter(pk=row.pk).update(aksi="palsu")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        model.objects.all().delete()
    row.refresh_from_db()
    assert row.aksi == aksi


# --- who saw a person's record --------------------------------------------------------------------


def test_admin_can_find_who_saw_a_household(world, client):
    """UU 27/2022: a data subject may ask who saw their data. Views of a household's full NIKs
    are logged against the household; an admin finds them by the household's id in the audit
    log of the admin site."""
    from tests.matrix.keluarga import buat_keluarga

    keluarga = buat_keluarga(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    assert client.get(reverse("pendataan:keluarga-detail", args=[keluarga.uuid])).status_code == 200
    entry = AuditLog.objects.get(aksi="lihat_nik", objek_uuid=keluarga.uuid)
    assert entry.pelaku == world.users["tksk_pahandut"] and entry.waktu and entry.alamat_ip
    client.force_login(world.users["admin"])
    response = client.get("/admin/tksk/auditlog/", {"q": str(keluarga.uuid)})
    assert response.status_code == 200, (
        f"the admin account cannot open the audit log ({response.status_code})"
    )
    assert "tksk_pahandut" in response.content.decode()
