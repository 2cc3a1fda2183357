"""The sync service: a batch of offline operations, each answered on its own.

* Idempotent by op_id (the stored answer is replayed) and by record uuid (a create whose uuid is
  stored in the user's area answers with that row).
* Dependencies: an operation whose parent operation is unknown or refused waits
  (`menunggu_induk`); within a batch, parents are run before their children whatever the order.
* Each operation runs in its own savepoint, so one bad operation never spoils the others.
* Updates are merged field by field against the values the user saw (`dasar`); a field changed on
  both sides to different values becomes a `Konflik`; a verified record is never overwritten: the
  edit becomes a `PermintaanPerubahan` for the kabupaten.
* Scope: every record is found through `for_user`; another area's uuid is refused with the same
  words as a missing one.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sinkron.entitas import ENTITAS, Galat, jsonable, normal
from sinkron.models import Konflik, OperasiSinkron, PermintaanPerubahan, StatusAntrean
from tksk.audit import catat
from tksk.kapabilitas import boleh, wajib
from tksk.uuid_klien import PESAN_UMUM, uuid_sah

logger = logging.getLogger(__name__)

BATAS_OPERASI = 50
SKEMA_DITERIMA = (1,)
SELESAI = {"tersimpan", "konflik", "permintaan_perubahan"}

PESAN = {
    "tersimpan": "Tersimpan di server.",
    "ditolak": "Belum tersimpan: periksa isian yang ditandai.",
    "konflik": "Sebagian isian bertabrakan dengan perubahan di server; menunggu penyelesaian.",
    "permintaan_perubahan": (
        "Data ini sudah diverifikasi; perubahan Anda dikirim sebagai permintaan perubahan ke "
        "Dinas Sosial kabupaten/kota."
    ),
    "menunggu_induk": "Menunggu data induknya terkirim lebih dahulu.",
}


class BatasTerlampaui(ValueError):
    pass


def _hasil(op_id, status, *, uuid=None, url="", versi=None, galat=None, pesan=None) -> dict:
    return {
        "op_id": str(op_id) if op_id else None,
        "status": status,
        "uuid": str(uuid) if uuid else None,
        "url": url,
        "versi": versi,
        "galat": galat or {},
        "pesan": pesan or PESAN[status],
    }


def _ditolak(op, galat: dict, pesan: str | None = None) -> dict:
    return _hasil(op.get("op_id"), "ditolak", uuid=op.get("uuid"), galat=galat, pesan=pesan)


def _urutan(operasi: list) -> list[int]:
    """Indexes in an order where an operation comes after its parents of the same batch."""
    posisi = {}
    for i, op in enumerate(operasi):
        if isinstance(op, dict) and op.get("op_id"):
            posisi.setdefault(str(op["op_id"]), i)
    urut, dikunjungi = [], set()

    def kunjungi(i, jejak):
        if i in dikunjungi or i in jejak:
            return
        jejak.add(i)
        op = operasi[i]
        setelah = op.get("setelah") if isinstance(op, dict) else None
        for induk in setelah if isinstance(setelah, list) else []:
            j = posisi.get(str(induk))
            if j is not None:
                kunjungi(j, jejak)
        dikunjungi.add(i)
        urut.append(i)

    for i in range(len(operasi)):
        kunjungi(i, set())
    return urut


def sinkronkan(*, pelaku, operasi: list, perangkat=None, request=None) -> list[dict]:
    """Run a batch; one answer per operation, in the order given."""
    if len(operasi) > BATAS_OPERASI:
        raise BatasTerlampaui(f"Paling banyak {BATAS_OPERASI} operasi per kiriman.")
    hasil: list = [None] * len(operasi)
    for i in _urutan(operasi):
        hasil[i] = _jalankan(pelaku, operasi[i], perangkat)
    jumlah: dict[str, int] = {}
    for h in hasil:
        jumlah[h["status"]] = jumlah.get(h["status"], 0) + 1
    if operasi:
        catat(
            aksi="sinkron",
            pelaku=pelaku,
            data={"operasi": len(operasi), **jumlah, "perangkat": getattr(perangkat, "pk", None)},
            request=request,
        )
    return hasil


def _periksa_bentuk(op) -> dict | None:
    """Galat of a malformed operation, or None."""
    galat = {}
    if op.get("entitas") not in ENTITAS:
        galat["entitas"] = ["Jenis data tidak dikenal."]
    if op.get("aksi") not in ("buat", "ubah"):
        galat["aksi"] = ["Tindakan harus buat atau ubah."]
    if uuid_sah(op.get("uuid")) is None:
        galat["uuid"] = ["Kode data (uuid) tidak valid."]
    if not isinstance(op.get("data"), dict):
        galat["data"] = ["Isian tidak terbaca."]
    setelah = op.get("setelah", [])
    if setelah is not None and (
        not isinstance(setelah, list) or any(uuid_sah(s) is None for s in setelah)
    ):
        galat["setelah"] = ["Daftar operasi induk tidak valid."]
    if not isinstance(op.get("dasar") or {}, dict):
        galat["dasar"] = ["Nilai awal tidak terbaca."]
    versi = op.get("versi_dasar")
    if versi is not None and (isinstance(versi, bool) or not isinstance(versi, int)):
        galat["versi_dasar"] = ["Versi awal harus berupa angka."]
    return galat or None


def _jalankan(pelaku, op, perangkat) -> dict:
    if not isinstance(op, dict):
        return _hasil(None, "ditolak", galat={"__all__": ["Operasi tidak terbaca."]})
    op_id = uuid_sah(op.get("op_id"))
    if op_id is None:
        return _ditolak(op, {"op_id": ["Kode operasi (op_id) tidak valid."]})
    tersimpan = OperasiSinkron.objects.filter(user=pelaku, op_id=op_id).first()
    if tersimpan is not None:
        return tersimpan.hasil
    galat = _periksa_bentuk(op)
    if galat is None:
        induk = [uuid_sah(s) for s in op.get("setelah") or []]
        selesai = set(
            OperasiSinkron.objects.filter(
                user=pelaku, op_id__in=induk, status__in=SELESAI
            ).values_list("op_id", flat=True)
        )
        if len(selesai) < len(set(induk)):
            return _hasil(op_id, "menunggu_induk", uuid=op.get("uuid"))
    try:
        with transaction.atomic():
            hasil = _ditolak(op, galat) if galat else _operasi(pelaku, op)
            hasil["op_id"] = str(op_id)
            OperasiSinkron.objects.create(
                user=pelaku,
                perangkat=perangkat,
                op_id=op_id,
                entitas=str(op.get("entitas"))[:20],
                aksi=str(op.get("aksi"))[:5],
                objek_uuid=uuid_sah(op.get("uuid")),
                status=hasil["status"],
                hasil=hasil,
            )
    except IntegrityError:
        # The same operation sent twice at once: the one that won answers.
        tersimpan = OperasiSinkron.objects.filter(user=pelaku, op_id=op_id).first()
        if tersimpan is not None:
            return tersimpan.hasil
        logger.exception("sinkron: operasi gagal ditulis")
        return _ditolak(op, {"__all__": ["Data belum tersimpan; coba kirim lagi."]})
    except Exception:
        # A fault of ours must not cost the other operations; not stored, so a retry may pass.
        logger.exception("sinkron: operasi gagal")
        hasil = _ditolak(op, {"__all__": ["Terjadi kesalahan di server; coba kirim lagi nanti."]})
    return hasil


def _operasi(pelaku, op) -> dict:
    entitas = ENTITAS[op["entitas"]]
    uuid = uuid_sah(op["uuid"])
    try:
        if op["aksi"] == "buat":
            return _buat(pelaku, entitas, op, uuid)
        return _ubah(pelaku, entitas, op, uuid)
    except Galat as g:
        return _ditolak(op, g.galat)
    except PermissionDenied as error:
        pesan = str(error) or PESAN_UMUM
        return _ditolak(op, {"__all__": [pesan]}, pesan=pesan)


def _jawab_tersimpan(op, entitas, obj, status="tersimpan") -> dict:
    t = entitas.tersimpan(obj)
    return _hasil(op["op_id"], status, uuid=t.uuid, url=t.url, versi=t.versi)


def _buat(pelaku, entitas, op, uuid) -> dict:
    ada = entitas.cari(pelaku, uuid)
    if ada is None and entitas.model.objects.filter(uuid=uuid).exists():
        raise PermissionDenied(PESAN_UMUM)
    if ada is None:
        ada = entitas.buat(pelaku, op["data"], uuid)
    return _jawab_tersimpan(op, entitas, ada)


# --- updates ----------------------------------------------------------------------------------


def gabung(sekarang: dict, data: dict, dasar: dict, *, versi_dasar, versi_kini) -> tuple:
    """Merge the client's fields into the stored values. Returns (merged values, changed fields,
    conflicts as {field: (mine, theirs, base)})."""
    hasil, berubah, konflik = dict(sekarang), [], {}
    sama_versi = versi_dasar is None or versi_dasar == versi_kini
    for field, nilai in data.items():
        if field in ("anggota", "uuid", "versi"):
            continue
        server = sekarang.get(field)
        if normal(nilai) == normal(server):
            continue
        if field in dasar:
            tak_berubah = normal(dasar[field]) == normal(server)
        else:
            tak_berubah = sama_versi
        if tak_berubah:
            hasil[field] = nilai
            berubah.append(field)
        else:
            konflik[field] = (nilai, jsonable(server), dasar.get(field))
    return hasil, berubah, konflik


def _gabung_anggota(entitas, obj, op) -> tuple[list, list, dict]:
    """Members of a household update: (merged member items, changed keys, conflicts keyed by
    member uuid → {field: (mine, theirs, base)})."""
    sekarang = entitas.anggota_sekarang(obj)
    dasar_list = (op.get("dasar") or {}).get("anggota") or []
    dasar = {str(d.get("uuid")): d for d in dasar_list if isinstance(d, dict)}
    items, berubah, konflik = [], [], {}
    anggota = op["data"].get("anggota") or []
    if not isinstance(anggota, list):
        raise Galat({"anggota": ["Data anggota tidak terbaca."]})
    for item in anggota:
        if not isinstance(item, dict):
            raise Galat({"anggota": ["Data anggota tidak terbaca."]})
        u = str(item.get("uuid") or "")
        if u in sekarang and not item.get("hapus"):
            merged, ubah, bentrok = gabung(
                sekarang[u],
                item,
                dasar.get(u, {}),
                versi_dasar=op.get("versi_dasar"),
                versi_kini=obj.versi,
            )
            items.append({**merged, "uuid": u})
            berubah += [f"anggota.{u}.{f}" for f in ubah]
            if bentrok:
                konflik[u] = bentrok
        else:
            items.append(item)
            berubah.append(f"anggota.{u}")
    # Members the client did not mention stay as they are (the form needs them for its rules).
    disebut = {str(i.get("uuid") or "") for i in items}
    items += [{**v, "uuid": u} for u, v in sekarang.items() if u not in disebut]
    return items, berubah, konflik


def _ubah(pelaku, entitas, op, uuid) -> dict:
    obj = entitas.terlihat(pelaku).select_for_update(of=("self",)).filter(uuid=uuid).first()
    if obj is None:
        raise PermissionDenied(PESAN_UMUM)
    versi_kini = entitas.tersimpan(obj).versi
    dasar = op.get("dasar") or {}
    data, berubah, konflik = gabung(
        entitas.sekarang(obj),
        op["data"],
        dasar,
        versi_dasar=op.get("versi_dasar"),
        versi_kini=versi_kini,
    )
    konflik_anggota = {}
    if entitas.nama == "keluarga":
        data["anggota"], ubah_anggota, konflik_anggota = _gabung_anggota(entitas, obj, op)
        berubah += ubah_anggota
    alasan = entitas.dikunci(obj)
    if alasan:
        # Checked by the form first: a change request that cannot be applied helps nobody.
        _periksa_saja(pelaku, entitas, obj, data)
        _permintaan(pelaku, entitas, obj, op, alasan)
        return _jawab_tersimpan(op, entitas, obj, status="permintaan_perubahan")
    # The author of the server's values: read before this device's merged fields are saved,
    # which would name this device's user instead.
    penulis_server = entitas.penulis_server(obj)
    if berubah:
        obj = entitas.ubah(pelaku, obj, data)
    dibuat = [
        _konflik(pelaku, penulis_server, entitas, obj, field, nilai, op)
        for field, nilai in konflik.items()
    ]
    for u, bentrok in konflik_anggota.items():
        anggota = obj.anggota.get(uuid=u)
        dibuat += [
            _konflik(pelaku, penulis_server, ENTITAS["individu"], anggota, field, nilai, op)
            for field, nilai in bentrok.items()
        ]
    hasil = _jawab_tersimpan(op, entitas, obj, status="konflik" if dibuat else "tersimpan")
    if dibuat:
        hasil["konflik"] = [str(k.uuid) for k in dibuat]
    return hasil


def _periksa_saja(pelaku, entitas, obj, data) -> None:
    """Validate an update through the form and service, then undo it."""
    try:
        with transaction.atomic():
            entitas.ubah(pelaku, obj, data)
            raise _Batal
    except _Batal:
        pass


class _Batal(Exception):
    pass


def _konflik(pelaku, penulis_server, entitas, obj, field, nilai, op) -> Konflik:
    saya, server, dasar = nilai
    ada = Konflik.objects.filter(
        objek_uuid=obj.uuid, field=field, penulis_saya=pelaku, status=StatusAntrean.TERBUKA
    ).first()
    k = ada or Konflik(
        entitas=entitas.nama,
        objek_uuid=obj.uuid,
        induk_uuid=entitas.induk_uuid(obj),
        desa=entitas.desa(obj),
        field=field,
        label=entitas.label(field)[:100],
        penulis_saya=pelaku,
    )
    k.nilai_saya, k.nilai_server, k.nilai_dasar = jsonable(saya), server, jsonable(dasar)
    k.penulis_server = penulis_server
    k.versi_dasar = op.get("versi_dasar")
    k.op_id = uuid_sah(op.get("op_id"))
    k.save()
    catat(
        aksi="konflik_buat",
        pelaku=pelaku,
        objek=obj,
        data={"konflik": str(k.uuid), "field": field},
    )
    return k


def _permintaan(pelaku, entitas, obj, op, alasan) -> PermintaanPerubahan:
    p = PermintaanPerubahan.objects.create(
        entitas=entitas.nama,
        objek_uuid=obj.uuid,
        induk_uuid=entitas.induk_uuid(obj),
        desa=entitas.desa(obj),
        data=jsonable_dict(op["data"]),
        dasar=jsonable_dict(op.get("dasar") or {}),
        versi_dasar=op.get("versi_dasar"),
        pengaju=pelaku,
        op_id=uuid_sah(op.get("op_id")),
        alasan_ditahan=alasan[:200],
    )
    catat(
        aksi="permintaan_perubahan_buat",
        pelaku=pelaku,
        objek=obj,
        data={"permintaan": str(p.uuid), "kolom": sorted(op["data"])},
    )
    return p


def jsonable_dict(d: dict) -> dict:
    return {k: jsonable(v) for k, v in d.items()}


# --- the conflict queue and change requests ---------------------------------------------------


def _terapkan(entitas, obj, data: dict, pelaku):
    """Apply `data` over the stored values (no merge: a person decided)."""
    sekarang = entitas.sekarang(obj)
    isi = {**sekarang, **{k: v for k, v in data.items() if k != "anggota"}}
    if entitas.nama == "keluarga":
        anggota = entitas.anggota_sekarang(obj)
        diminta = {str(a.get("uuid")): a for a in data.get("anggota") or [] if isinstance(a, dict)}
        isi["anggota"] = [
            {**v, **diminta.pop(u, {}), "uuid": u} for u, v in anggota.items()
        ] + list(diminta.values())
    return entitas.ubah(pelaku, obj, isi)


def _penulis(pelaku, pengganti):
    """Who the record's history names for a decided change: the deciding user where their role
    records data, else the TKSK whose edit it was."""
    return pelaku if boleh(pelaku, "pendataan.ubah") else pengganti


def _kunci(model, pelaku, obj):
    terkunci = model.objects.for_user(pelaku).select_for_update(of=("self",)).filter(pk=obj.pk)
    obj = terkunci.first()
    if obj is None:
        raise PermissionDenied(PESAN_UMUM)
    if obj.status != StatusAntrean.TERBUKA:
        raise ValidationError("Sudah diselesaikan sebelumnya.")
    return obj


def konflik_selesaikan(*, pelaku, konflik: Konflik, pilihan: str, request=None) -> Konflik:
    """Keep the device's value ("saya") or the server's ("server") for one conflicting field."""
    wajib(pelaku, "sinkron.antrean", "Peran Anda tidak dapat menyelesaikan konflik.")
    if pilihan not in ("saya", "server"):
        raise ValidationError({"pilihan": ["Pilih nilai yang dipakai."]})
    with transaction.atomic():
        k = _kunci(Konflik, pelaku, konflik)
        entitas = ENTITAS[k.entitas]
        obj = entitas.model.objects.filter(uuid=k.objek_uuid).first()
        if obj is None:
            raise ValidationError("Data asal konflik ini sudah tidak ada.")
        if pilihan == "saya":
            try:
                obj = _terapkan(
                    entitas, obj, {k.field: k.nilai_saya}, _penulis(pelaku, k.penulis_saya)
                )
            except Galat as g:
                raise ValidationError([m for pesan in g.galat.values() for m in pesan]) from None
        k.status, k.pilihan = StatusAntrean.SELESAI, pilihan
        k.diselesaikan_oleh, k.diselesaikan_pada = pelaku, timezone.now()
        k.save(update_fields=["status", "pilihan", "diselesaikan_oleh", "diselesaikan_pada"])
        catat(
            aksi="konflik_selesai",
            pelaku=pelaku,
            objek=obj,
            data={
                "konflik": str(k.uuid),
                "field": k.field,
                "pilihan": pilihan,
                "penulis_saya": k.penulis_saya.username,
                "penulis_server": k.penulis_server.username if k.penulis_server else None,
            },
            request=request,
        )
    return k


def permintaan_putuskan(
    *, pelaku, permintaan: PermintaanPerubahan, terima: bool, catatan: str = "", request=None
) -> PermintaanPerubahan:
    """The kabupaten applies (terima) or refuses a change request of a verified record."""
    wajib(pelaku, "sinkron.putus", "Peran Anda tidak dapat memutuskan permintaan perubahan.")
    catatan = (catatan or "").strip()
    if not terima and not catatan:
        raise ValidationError({"catatan": ["Tulis alasan permintaan ini ditolak."]})
    with transaction.atomic():
        p = _kunci(PermintaanPerubahan, pelaku, permintaan)
        entitas = ENTITAS[p.entitas]
        obj = entitas.model.objects.filter(uuid=p.objek_uuid).first()
        if obj is None:
            raise ValidationError("Data yang diminta diubah sudah tidak ada.")
        if terima:
            try:
                obj = _terapkan(entitas, obj, p.data, _penulis(pelaku, p.pengaju))
            except Galat as g:
                raise ValidationError([m for pesan in g.galat.values() for m in pesan]) from None
        p.status = StatusAntrean.SELESAI if terima else StatusAntrean.DITOLAK
        p.catatan, p.diputuskan_oleh, p.diputuskan_pada = catatan, pelaku, timezone.now()
        p.save(update_fields=["status", "catatan", "diputuskan_oleh", "diputuskan_pada"])
        catat(
            aksi="permintaan_perubahan_terima" if terima else "permintaan_perubahan_tolak",
            pelaku=pelaku,
            objek=obj,
            data={"permintaan": str(p.uuid), "pengaju": p.pengaju.username},
            request=request,
        )
    return p


def impor_berkas(*, pelaku, isi: bytes, kata_sandi: str, request=None) -> tuple[list, str]:
    """Replay an encrypted outbox file as `pelaku`, in batches like the device would. A TKSK
    imports only their own file; an admin anyone's. Returns (answers, owner's username)."""
    from sinkron.impor import BerkasTidakSah, buka

    wajib(pelaku, "sinkron.kirim", "Peran Anda tidak dapat mengimpor data perangkat.")
    muatan = buka(isi, kata_sandi)
    pemilik = str(muatan.get("pengguna") or "")
    if not boleh(pelaku, "sinkron.atas_nama") and pemilik != pelaku.username:
        raise BerkasTidakSah("Berkas ini dibuat oleh pengguna lain; minta admin mengimpornya.")
    operasi = muatan["operasi"]
    hasil: list = []
    # Parents may sit in an earlier batch: keep going while a round makes progress.
    sisa = list(range(len(operasi)))
    jawaban: dict[int, dict] = {}
    while sisa:
        tunggu = []
        for awal in range(0, len(sisa), BATAS_OPERASI):
            bagian = sisa[awal : awal + BATAS_OPERASI]
            for i, h in zip(
                bagian,
                sinkronkan(pelaku=pelaku, operasi=[operasi[j] for j in bagian], request=request),
                strict=True,
            ):
                jawaban[i] = h
                if h["status"] == "menunggu_induk":
                    tunggu.append(i)
        if len(tunggu) == len(sisa):
            break
        sisa = tunggu
    hasil = [jawaban[i] for i in range(len(operasi))]
    catat(
        aksi="sinkron_impor",
        pelaku=pelaku,
        data={"operasi": len(operasi), "pemilik": pemilik},
        request=request,
    )
    return hasil, pemilik
