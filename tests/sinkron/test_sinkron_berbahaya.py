"""The sync endpoint under hostile or stale input, and the children of an activity recorded
offline: participants, follow-ups and photos, each sent after its activity.

Every answer is a clear one (a 400 JSON body in Indonesian, or one answer per operation), never a
500, and nothing is half-written."""

import json
import uuid
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from koordinasi.models import FotoKegiatan, Kegiatan, TindakLanjut
from pendataan.models import Keluarga
from sinkron.models import OperasiSinkron
from tests.matrix.keluarga import buat_keluarga
from tests.matrix.koordinasi import buat_kegiatan, buat_mitra, jpeg_bytes
from tests.matrix.ppks import buat_ppks
from tests.security import beda, media_fixture, sidik_jari  # noqa: F401
from tests.sinkron.conftest import op
from tksk.models import AuditLog

pytestmark = pytest.mark.django_db

PESAN_TIDAK_ADA = "Data tidak ditemukan di wilayah tugas Anda."
# A device's "last seen" is written by every authenticated request.
KECUALI = ("tksk_perangkat",)


def op_kegiatan(world, kec="pahandut", **data):
    isi = {
        "jenis": "rapat_koordinasi",
        "tanggal": date.today().isoformat(),
        "desa": world.desa[kec].pk,
        "tempat": "Balai desa",
        "topik": "Koordinasi bantuan banjir",
        "peserta_laki": "3",
        "peserta_perempuan": "4",
        "notulen": "",
        **data,
    }
    return op("kegiatan", "buat", uuid.uuid4(), isi)


def anak_kegiatan(induk, world, keluarga):
    """Two participants and a follow-up of the activity `induk`, each after it."""
    peserta = [
        op(
            "peserta",
            "buat",
            uuid.uuid4(),
            {"kegiatan": induk["uuid"], "tipe": "keluarga", "peserta": str(k.uuid)},
            setelah=[induk["op_id"]],
        )
        for k in keluarga
    ]
    tl = op(
        "tindak_lanjut",
        "buat",
        uuid.uuid4(),
        {
            "kegiatan": induk["uuid"],
            "uraian": "Kirim data korban ke Dinsos kabupaten",
            "mitra": "",
            "batas_waktu": (date.today() + timedelta(days=7)).isoformat(),
        },
        setelah=[induk["op_id"]],
    )
    return peserta, tl


def _status(hasil):
    return [h["status"] for h in hasil]


# --- an activity with its children ------------------------------------------------------------


def test_an_activity_with_two_participants_and_a_follow_up_is_saved_once(world, perangkat):
    hp = perangkat()
    keluarga = [buat_keluarga(world, "pahandut"), buat_keluarga(world, "pahandut")]
    induk = op_kegiatan(world)
    peserta, tl = anak_kegiatan(induk, world, keluarga)
    # Children first in the batch: the server runs the parent before them.
    batch = [tl, *peserta, induk]
    assert _status(hp.hasil(batch)) == ["tersimpan"] * 4
    assert _status(hp.hasil(batch)) == ["tersimpan"] * 4  # a replay: the stored answers
    # The same records under new op ids (a corrected entry, an imported file): still one each.
    ulang = [{**o, "op_id": str(uuid.uuid4())} for o in batch]
    for o in ulang[:3]:
        o["setelah"] = [ulang[3]["op_id"]]
    assert _status(hp.hasil(ulang)) == ["tersimpan"] * 4

    (keg,) = Kegiatan.objects.all()
    assert str(keg.uuid) == induk["uuid"]
    assert sorted(keg.peserta_keluarga.values_list("pk", flat=True)) == sorted(
        k.pk for k in keluarga
    )
    (t,) = TindakLanjut.objects.all()
    assert str(t.uuid) == tl["uuid"] and t.kegiatan == keg and t.status == "belum"
    assert AuditLog.objects.filter(aksi="tindak_lanjut_buat").count() == 1
    assert AuditLog.objects.filter(aksi="kegiatan_buat").count() == 1


def test_children_of_an_activity_wait_for_it_in_a_later_batch(world, perangkat):
    hp = perangkat()
    induk = op_kegiatan(world)
    peserta, tl = anak_kegiatan(induk, world, [buat_keluarga(world, "pahandut")])
    assert _status(hp.hasil([tl, *peserta])) == ["menunggu_induk"] * 2
    assert not TindakLanjut.objects.exists()
    assert _status(hp.hasil([induk])) == ["tersimpan"]
    assert _status(hp.hasil([tl, *peserta])) == ["tersimpan"] * 2
    assert TindakLanjut.objects.count() == 1


def test_a_refused_activity_holds_back_its_children(world, perangkat):
    hp = perangkat()
    induk = op_kegiatan(world, topik="")
    peserta, tl = anak_kegiatan(induk, world, [buat_keluarga(world, "pahandut")])
    h_induk, h_tl, h_p = hp.hasil([induk, tl, *peserta])
    assert h_induk["status"] == "ditolak" and h_induk["galat"]["topik"]
    assert h_tl["status"] == h_p["status"] == "menunggu_induk"
    assert not Kegiatan.objects.exists() and not TindakLanjut.objects.exists()


def test_bad_children_are_refused_one_by_one_with_field_errors(world, perangkat):
    hp = perangkat()
    lain = buat_keluarga(world, "selat")
    mitra_lain = buat_mitra(world, "selat")
    induk = op_kegiatan(world)
    (peserta,), tl = anak_kegiatan(induk, world, [lain])
    tl["data"].update(uraian="", batas_waktu="kemarin")
    tl_mitra = op(
        "tindak_lanjut",
        "buat",
        uuid.uuid4(),
        {
            "kegiatan": induk["uuid"],
            "uraian": "Rapat lanjutan",
            "mitra": str(mitra_lain.pk),
            "batas_waktu": date.today().isoformat(),
        },
        setelah=[induk["op_id"]],
    )
    salah_tipe = op(
        "peserta",
        "buat",
        uuid.uuid4(),
        {"kegiatan": induk["uuid"], "tipe": "mitra", "peserta": str(lain.uuid)},
        setelah=[induk["op_id"]],
    )
    h = hp.hasil([induk, peserta, tl, tl_mitra, salah_tipe])
    assert _status(h) == ["tersimpan", "ditolak", "ditolak", "ditolak", "ditolak"]
    # Another kecamatan's household is refused with the words of a missing one.
    assert h[1]["galat"] == {"peserta": ["Warga ini tidak ditemukan di wilayah tugas Anda."]}
    assert set(h[2]["galat"]) == {"uraian", "batas_waktu"}
    assert "mitra" in h[3]["galat"]
    assert "tipe" in h[4]["galat"]
    keg = Kegiatan.objects.get()
    assert not keg.peserta_keluarga.exists() and not TindakLanjut.objects.exists()


def test_a_follow_up_for_another_areas_activity_is_refused_like_a_missing_one(world, perangkat):
    hp = perangkat()
    lain = buat_kegiatan(world, "selat")
    tl = op(
        "tindak_lanjut",
        "buat",
        uuid.uuid4(),
        {"kegiatan": str(lain.uuid), "uraian": "x", "batas_waktu": date.today().isoformat()},
    )
    (h,) = hp.hasil([tl])
    assert h["status"] == "ditolak"
    assert h["galat"] == {"kegiatan": ["Pilih kegiatan di wilayah tugas Anda."]}
    assert not TindakLanjut.objects.exists()


# --- replays after the world moved on ---------------------------------------------------------


def test_a_replay_after_the_record_was_deleted_gets_a_clear_answer(world, perangkat):
    hp = perangkat()
    induk = op_kegiatan(world)
    assert _status(hp.hasil([induk])) == ["tersimpan"]
    ubah = op("kegiatan", "ubah", induk["uuid"], {"tempat": "Aula"}, versi_dasar=1)
    Kegiatan.objects.filter(uuid=induk["uuid"]).delete()
    # The original create replays its stored answer; anything new about it is refused per op.
    (h_ulang,) = hp.hasil([induk])
    assert h_ulang["status"] == "tersimpan"
    peserta, tl = anak_kegiatan(induk, world, [buat_keluarga(world, "pahandut")])
    h_ubah, h_tl, h_p = hp.hasil([ubah, tl, *peserta])
    assert h_ubah["status"] == "ditolak" and h_ubah["galat"] == {"__all__": [PESAN_TIDAK_ADA]}
    assert h_tl["galat"] == {"kegiatan": ["Pilih kegiatan di wilayah tugas Anda."]}
    assert h_p["galat"] == {"kegiatan": ["Pilih kegiatan di wilayah tugas Anda."]}
    assert not Kegiatan.objects.exists() and not TindakLanjut.objects.exists()


def test_a_replay_after_the_household_moved_to_another_kecamatan(world, perangkat):
    hp = perangkat()
    ppks = buat_ppks(world, "pahandut")
    kel = ppks.individu.keluarga
    mitra = buat_mitra(world, "pahandut")
    edit = op("keluarga", "ubah", kel.uuid, {"alamat": "Jl. Baru"}, versi_dasar=kel.versi)
    rujuk = op(
        "rujukan",
        "buat",
        uuid.uuid4(),
        {
            "ppks": str(ppks.uuid),
            "mitra": str(mitra.pk),
            "alasan": "Butuh layanan",
            "layanan": "Pemeriksaan",
            "urgensi": "biasa",
            "tanggal_kirim": date.today().isoformat(),
            "penandatangan_nama": "Rahmat",
            "penandatangan_jabatan": "TKSK",
        },
    )
    # Moved by the kabupaten while the phone was offline.
    Keluarga.objects.filter(pk=kel.pk).update(desa=world.desa["jekanraya"])
    ppks.refresh_from_db()
    assert ppks.desa == world.desa["jekanraya"]  # the person's records follow the household
    kecuali = (*KECUALI, "sinkron_operasisinkron", "tksk_auditlog")
    sebelum = sidik_jari(kecuali=kecuali)
    h_edit, h_rujuk = hp.hasil([edit, rujuk])
    assert h_edit["status"] == "ditolak" and h_edit["galat"] == {"__all__": [PESAN_TIDAK_ADA]}
    assert h_rujuk["status"] == "ditolak" and "ppks" in h_rujuk["galat"]
    assert beda(sebelum, sidik_jari(kecuali=kecuali)) == []


def test_a_replay_of_an_edit_after_verification_is_a_change_request(world, perangkat):
    from sinkron.models import PermintaanPerubahan

    hp = perangkat()
    kel = buat_keluarga(world, "pahandut", status="terverifikasi")
    edit = op("keluarga", "ubah", kel.uuid, {"alamat": "Jl. Baru"}, versi_dasar=kel.versi)
    (h,) = hp.hasil([edit])
    assert h["status"] == "permintaan_perubahan"
    kel.refresh_from_db()
    assert kel.alamat != "Jl. Baru"
    assert PermintaanPerubahan.objects.count() == 1
    assert hp.hasil([edit]) == [h]
    assert PermintaanPerubahan.objects.count() == 1


# --- hostile bodies ---------------------------------------------------------------------------


def _post(hp, body: str):
    return hp.client.post(
        "/api/v1/sinkron/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {hp.token}",
    )


def test_a_batch_of_10000_operations_is_a_400_in_indonesian_and_writes_nothing(world, perangkat):
    hp = perangkat()
    kecil = {"op_id": "x", "entitas": "kegiatan", "aksi": "buat", "uuid": "x", "data": {}}
    sebelum = sidik_jari(kecuali=KECUALI)
    r = _post(hp, json.dumps({"skema": 1, "operasi": [kecil] * 10000}))
    assert r.status_code == 400
    isi = r.json()
    assert isi["kode"] == "terlalu_banyak" and isi["batas"] == 50
    assert "Paling banyak 50 operasi" in isi["detail"]
    # 10,000 real operations are past the size limit: also a 400 with an Indonesian message.
    r = _post(hp, json.dumps({"skema": 1, "operasi": [op_kegiatan(world) for _ in range(10000)]}))
    assert r.status_code == 400
    assert "terlalu besar" in r.json()["detail"]
    assert beda(sebelum, sidik_jari(kecuali=KECUALI)) == []


@pytest.mark.parametrize("tempat", ["atas", "operasi", "data"])
def test_a_body_nested_10000_levels_deep_is_a_400(world, perangkat, tempat):
    hp = perangkat()
    dalam = "[" * 10000 + "]" * 10000
    body = {
        "atas": dalam,
        "operasi": '{"skema": 1, "operasi": ' + dalam + "}",
        "data": json.dumps(
            {"skema": 1, "operasi": [op("kegiatan", "buat", uuid.uuid4(), {"topik": "X"})]}
        ).replace('"X"', dalam),
    }[tempat]
    sebelum = sidik_jari(kecuali=KECUALI)
    r = _post(hp, body)
    assert r.status_code == 400
    assert r.json()["detail"]
    assert beda(sebelum, sidik_jari(kecuali=KECUALI)) == []


def test_nesting_under_the_parsers_limit_is_answered_per_operation(world, perangkat):
    hp = perangkat()
    dalam = {"a": None}
    for _ in range(40):
        dalam = {"a": [dalam]}
    o = op_kegiatan(world, topik=dalam, mitra=[dalam], desa=[[world.desa["pahandut"].pk]])
    tl = op("tindak_lanjut", "buat", uuid.uuid4(), {"kegiatan": dalam, "uraian": [[["x"]]]})
    p = op("peserta", "buat", uuid.uuid4(), {"kegiatan": [o["uuid"]], "tipe": {}, "peserta": []})
    r = hp.kirim([o, tl, p])
    assert r.status_code in (200, 400), r.content
    if r.status_code == 200:
        assert _status(r.json()["hasil"]) == ["ditolak"] * 3
        for h in r.json()["hasil"]:
            assert h["galat"] and h["pesan"]
    assert not Kegiatan.objects.exists() and not TindakLanjut.objects.exists()


# --- photos -----------------------------------------------------------------------------------


def _jpeg(size, kualitas=90):
    from PIL import Image

    buffer = BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, "JPEG", quality=kualitas)
    return buffer.getvalue()


def kirim_foto(hp, kegiatan_uuid, isi, *, op_id=None, foto_uuid=None, nama="foto.jpg", **extra):
    data = {
        "op_id": op_id or str(uuid.uuid4()),
        "uuid": foto_uuid or str(uuid.uuid4()),
        "kegiatan": str(kegiatan_uuid),
        "keterangan": "Rapat di balai desa",
        "foto": SimpleUploadedFile(nama, isi, content_type="image/jpeg"),
        **extra,
    }
    return hp.client.post(
        "/api/v1/sinkron/foto/", data, HTTP_AUTHORIZATION=f"Token {hp.token}"
    ), data


@pytest.mark.usefixtures("media")
def test_a_photo_after_its_activity_is_stored_once_re_encoded(world, perangkat):
    hp = perangkat()
    keg = buat_kegiatan(world, "pahandut")
    r, data = kirim_foto(hp, keg.uuid, _jpeg((2400, 1800)))
    assert r.status_code == 200, r.content
    h = r.json()
    assert h["status"] == "tersimpan" and h["uuid"] == data["uuid"]
    assert h["url"].endswith(f"/koordinasi/kegiatan/{keg.uuid}/#foto")
    (foto,) = FotoKegiatan.objects.all()
    assert str(foto.uuid) == data["uuid"] and foto.kegiatan == keg
    assert max(foto.lebar, foto.tinggi) == 1600 and foto.keterangan == "Rapat di balai desa"
    # A replay of the op, and the same photo under a new op id: still one photo.
    r2, _ = kirim_foto(hp, keg.uuid, _jpeg((64, 48)), op_id=data["op_id"], foto_uuid=data["uuid"])
    assert r2.json() == h
    r3, _ = kirim_foto(hp, keg.uuid, _jpeg((64, 48)), foto_uuid=data["uuid"])
    assert r3.json()["status"] == "tersimpan" and r3.json()["uuid"] == data["uuid"]
    assert FotoKegiatan.objects.count() == 1
    assert AuditLog.objects.filter(aksi="foto_unggah").count() == 1
    assert OperasiSinkron.objects.filter(entitas="foto").count() == 2


@pytest.mark.usefixtures("media")
@pytest.mark.parametrize(
    ("isi", "pesan"),
    [
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "JPEG atau PNG"),
        (b"<!doctype html><script>alert(1)</script>", "JPEG atau PNG"),
        (b"", "kosong"),
        (jpeg_bytes()[:200], "utuh"),
    ],
    ids=["pdf", "html", "kosong", "terpotong"],
)
def test_a_bad_photo_is_refused_with_the_web_pages_words_and_stores_nothing(
    world, perangkat, media, isi, pesan
):
    hp = perangkat()
    keg = buat_kegiatan(world, "pahandut")
    r, _ = kirim_foto(hp, keg.uuid, isi)
    assert r.status_code == 200
    h = r.json()
    assert h["status"] == "ditolak" and pesan in " ".join(h["galat"]["foto"])
    assert not FotoKegiatan.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


@pytest.mark.usefixtures("media")
def test_a_photo_for_another_areas_activity_or_a_bad_form_is_refused(world, perangkat, media):
    hp = perangkat()
    lain = buat_kegiatan(world, "selat")
    r, _ = kirim_foto(hp, lain.uuid, jpeg_bytes())
    assert r.json()["status"] == "ditolak"
    assert r.json()["galat"] == {"kegiatan": ["Pilih kegiatan di wilayah tugas Anda."]}
    for kurang in ("op_id", "uuid", "kegiatan"):
        r, _ = kirim_foto(hp, lain.uuid, jpeg_bytes(), **{kurang: "bukan-uuid"})
        assert r.status_code == 400 and r.json()["kode"] == "bentuk"
    r = hp.client.post(
        "/api/v1/sinkron/foto/",
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {hp.token}",
    )
    assert r.status_code == 400 and r.json()["kode"] == "bentuk"
    assert not FotoKegiatan.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


@pytest.mark.usefixtures("media")
def test_a_photo_without_a_device_token_is_a_401(world, client):
    keg = buat_kegiatan(world, "pahandut")
    r = client.post(
        "/api/v1/sinkron/foto/",
        {"op_id": str(uuid.uuid4()), "uuid": str(uuid.uuid4()), "kegiatan": str(keg.uuid)},
    )
    assert r.status_code in (401, 403)
    assert not FotoKegiatan.objects.exists()
