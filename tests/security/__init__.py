"""Security and data-safety checks across the apps (issue 7), and what they share: the markup
corpus, a form reader, a crawler, a fingerprint of the database, and a world filled with
records that carry known NIKs and hostile text.

The checks are written against the URL resolver and the scoping matrix (tests/matrix/), not
against a list of pages, so a new page, list, form or download is checked as soon as it exists.
"""

import contextlib
import itertools
import re
import socket
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parents[2]
KORPUS_BERKAS = ROOT / "tests" / "corpus" / "teks_berbahaya.txt"
APP_LABELS = ("tksk", "pendataan", "koordinasi", "laporan", "tenaga")

# Any run of 16 digits: a NIK or a No KK (UUIDs never have more than 12 digits in a row).
ENAM_BELAS = re.compile(r"\d{16}")

# Used when tests/corpus/teks_berbahaya.txt is missing: markup, quotes, RTL override,
# zero-width characters, spreadsheet formulas, template syntax.
KORPUS_BAWAAN = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    'Budi "Si Kancil" O\'Neil',
    "Nama\u202eanipsuS",
    "Sit\u200bi\u200c Nur\u200dhaliza\ufeff",
    '=HYPERLINK("http://x")',
    "+SUM(1,1)",
    "-2+3",
    "@SUM(A1)",
    "=cmd|' /C calc'!A0",
    "{{7*7}} {% debug %}",
]

# Markup that must never reach a page unescaped (the corpus's active parts, and the probes below).
MENTAH = [
    "<script>alert(1)</script>",
    "<img src=x onerror",
    "<svg onload",
    '<img src="http://127.0.0.1',
    "<link rel=attachment",
]


def korpus() -> list[str]:
    """The shared markup corpus, one entry a line (falls back to a built-in copy)."""
    if KORPUS_BERKAS.exists():
        baris = KORPUS_BERKAS.read_text(encoding="utf-8").splitlines()
        baris = [b for b in baris if b.strip()]
        if baris:
            return baris
    return list(KORPUS_BAWAAN)


class Pendengar:
    """A TCP port that records every connection: put `http://127.0.0.1:<port>/` in user data
    and check afterwards that nothing (PDF renderer, server-side fetch) connected to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.sambungan = 0
        self._jalan = True
        self._thread = threading.Thread(target=self._terima, daemon=True)
        self._thread.start()

    def _terima(self):
        while self._jalan:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.sambungan += 1
            conn.close()

    def tutup(self):
        self._jalan = False
        self._thread.join(timeout=2)
        self.sock.close()


def probe_pdf(port: int) -> list[str]:
    """Markup that would make a careless PDF renderer fetch a URL or attach a local file."""
    return [
        f'<img src="http://127.0.0.1:{port}/x.png">',
        f'<link rel=attachment href="http://127.0.0.1:{port}/lampiran">',
        '<link rel=attachment href="file:///etc/passwd">',
        f'<style>@import "http://127.0.0.1:{port}/a.css";</style>',
    ]


# --- reading pages ----------------------------------------------------------------------------

# Attributes that carry a URL (htmx ones included: they are requested by the browser too).
URL_ATTR = {"href", "src", "action", "formaction", "hx-get", "hx-post", "hx-put", "hx-delete"}


@dataclass
class Formulir:
    method: str
    action: str
    fields: list = field(default_factory=list)  # (name, value) as a browser would submit
    names: set = field(default_factory=set)  # every field name, submitted or not


class Halaman(HTMLParser):
    """Links and forms of one HTML page (stdlib parser; fields inside <template> are skipped:
    they are copied by JavaScript, not submitted)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.forms: list[Formulir] = []
        self._form: Formulir | None = None
        self._template = 0
        self._select = None  # [name, multiple, options, disabled]
        self._option = None
        self._textarea = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            if value and (name in URL_ATTR or (name.startswith("data-") and "/" in value)):
                self.urls.append((tag, name, value))
        if tag == "template":
            self._template += 1
        if self._template:
            return
        if tag == "form":
            self._form = Formulir((a.get("method") or "get").lower(), a.get("action") or "")
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._input(a)
        elif tag == "select" and a.get("name"):
            self._form.names.add(a["name"])
            self._select = [a["name"], "multiple" in a, [], "disabled" in a]
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
            self._select[2].append(self._option)
        elif tag == "textarea" and a.get("name"):
            self._form.names.add(a["name"])
            self._textarea = [a["name"], "", "disabled" in a]

    def _input(self, a):
        name = a.get("name")
        kind = (a.get("type") or "text").lower()
        if not name:
            return
        self._form.names.add(name)
        if kind in ("submit", "button", "image", "reset", "file") or "disabled" in a:
            return
        if kind in ("checkbox", "radio"):
            if "checked" in a:
                self._form.fields.append((name, a.get("value", "on")))
            return
        self._form.fields.append((name, a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "template":
            self._template = max(0, self._template - 1)
        if self._template or self._form is None:
            return
        if tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, options, disabled = self._select
            values = [(o[0] if o[0] is not None else o[2].strip()) for o in options]
            chosen = [v for o, v in zip(options, values, strict=True) if o[1]]
            if not chosen and not multiple and values:
                chosen = values[:1]
            if not disabled:
                self._form.fields += [(name, v) for v in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text, disabled = self._textarea
            if not disabled:
                self._form.fields.append((name, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def form_utama(self, path: str) -> Formulir | None:
        """The page's main POST form (action empty or its own path) with the most fields."""
        kandidat = [
            f for f in self.forms if f.method == "post" and f.action in ("", path, ".") and f.fields
        ]
        return max(kandidat, key=lambda f: len(f.names), default=None)


def data_formulir(form: Formulir) -> dict:
    """Field values as the test client posts them (repeated names become lists)."""
    data: dict = {}
    for name, value in form.fields:
        if name in data:
            lama = data[name] if isinstance(data[name], list) else [data[name]]
            data[name] = [*lama, value]
        else:
            data[name] = value
    return data


# --- crawling ---------------------------------------------------------------------------------


@dataclass
class Kunjungan:
    url: str
    response: object
    halaman: Halaman | None
    audit_baru: list  # AuditLog rows written while answering
    tautan_json: list = field(default_factory=list)  # addresses an API answer leads to


def tautan_json(path: str, data) -> list[str]:
    """Addresses in an API answer: every string that is one (`next`, `previous`, the API root's
    resource list), and the detail of every listed row (`<list>/<uuid or kode>/`)."""
    hasil, tumpukan = [], [data]
    while tumpukan:
        nilai = tumpukan.pop()
        if isinstance(nilai, dict):
            tumpukan.extend(nilai.values())
        elif isinstance(nilai, list):
            tumpukan.extend(nilai)
        elif isinstance(nilai, str) and nilai.startswith(("http://testserver/", "/api/")):
            hasil.append(nilai)
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        for baris in data["results"]:
            kunci = isinstance(baris, dict) and (baris.get("uuid") or baris.get("kode"))
            if kunci:
                hasil.append(f"{path.rstrip('/')}/{kunci}/")
    return hasil


def rute(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return f"?{path}"


def _ikuti(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return False
    path = parts.path
    return bool(path) and not (
        path.startswith(("/static/", "/admin/", "/accounts/logout", "/api/docs", "/api/schema"))
    )


def jelajah(client, *, mulai: str | list = "/", batas: int = 300, per_rute: int = 2):
    """Visit every page reachable from `mulai` by GET (links, image sources, redirects), same
    host only, at most `batas` pages and `per_rute` per view and set of query keys, so that a
    long list does not use up the budget. Yields a Kunjungan per response."""
    from tksk.models import AuditLog

    awal = [mulai] if isinstance(mulai, str) else list(mulai)
    antrean, dilihat, per = deque(awal), set(awal), {}
    jumlah = 0
    while antrean and jumlah < batas:
        url = antrean.popleft()
        parts = urlsplit(url)
        kunci = (rute(parts.path), frozenset(k for k, _ in parse_qsl(parts.query)))
        if per.get(kunci, 0) >= per_rute:
            continue
        per[kunci] = per.get(kunci, 0) + 1
        jumlah += 1
        terakhir = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get(url)
        audit = list(AuditLog.objects.filter(pk__gt=terakhir))
        halaman = None
        berikut = []
        if response.status_code in (301, 302, 303, 307, 308):
            berikut.append(response["Location"])
        elif response.get("Content-Type", "").startswith("text/html") and not getattr(
            response, "streaming", False
        ):
            halaman = Halaman(response.content.decode())
            berikut += [v for tag, attr, v in halaman.urls if attr in ("href", "src")]
            berikut += [f.action for f in halaman.forms if f.method == "get" and f.action]
        json_lain = []
        if response.get("Content-Type", "").startswith("application/json"):
            json_lain = tautan_json(parts.path, response.json())
            berikut += json_lain
        yield Kunjungan(url, response, halaman, audit, json_lain)
        for target in berikut:
            absolut = urljoin(url, target).split("#", 1)[0]
            if not _ikuti(absolut):
                continue
            p = urlsplit(absolut)
            lokal = p.path + (f"?{p.query}" if p.query else "")
            if lokal not in dilihat:
                dilihat.add(lokal)
                antrean.append(lokal)


def isi_tubuh(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


# --- the database -----------------------------------------------------------------------------


def tabel_aplikasi() -> list[str]:
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in APP_LABELS and meta.managed and not meta.proxy:
            tables.add(meta.db_table)
    return sorted(tables)


def sidik_jari(kecuali: tuple = ()) -> dict:
    """(row count, md5 of every row) per table of the apps: any write shows up."""
    hasil = {}
    with connection.cursor() as cursor:
        for table in tabel_aplikasi():
            if table in kecuali:
                continue
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) "  # noqa: S608
                f'FROM "{table}" x'
            )
            hasil[table] = cursor.fetchone()
    return hasil


def beda(sebelum: dict, sesudah: dict) -> list[str]:
    return sorted(t for t in sesudah if sebelum.get(t) != sesudah[t])


# --- a world with data ------------------------------------------------------------------------


@pytest.fixture(name="media")
def media_fixture(settings, tmp_path):
    """Uploaded and generated files of a test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def pengguna_untuk(world, roles, kec: str = "pahandut"):
    """A user of kecamatan `kec`'s chain whose role may use a URL with `roles`."""
    for username, role in (
        (f"tksk_{kec}", "tksk"),
        ("kab_palangkaraya" if kec != "selat" else "kab_kapuas", "kabupaten"),
        ("admin", "admin"),
        ("prov", "provinsi"),
    ):
        if role in roles:
            return world.users[username]
    raise AssertionError(f"no user for roles {roles}")


_urut = itertools.count(8001)


def nik_uji(tanggal: date = date(1987, 3, 21), jenis_kelamin: str = "L") -> str:
    """A valid NIK with a serial from 8001 up: never one of the examples the app prints."""
    hari = tanggal.day + (40 if jenis_kelamin == "P" else 0)
    return f"627101{hari:02d}{tanggal:%m%y}{next(_urut) % 10000:04d}"


def anggota(nama: str, hubungan: str = "kepala_keluarga", jenis_kelamin: str = "L") -> dict:
    from tests.matrix.keluarga import anggota_data

    data = anggota_data(nama=nama, hubungan=hubungan, jenis_kelamin=jenis_kelamin)
    data["nik"] = nik_uji(data["tanggal_lahir"], jenis_kelamin)
    return data


def isi_dunia(world, teks: list[str] | None = None) -> dict:
    """Records in every kecamatan of the world through the services: households with members
    carrying NIKs, PPKS (one sensitive), PSKS, partners, activities with a photo, participants
    and follow-ups, referrals, a returned household and a duplicate-NIK case. Names and notes
    of the pahandut records come from `teks` (the corpus by default). Returns what was made."""
    from koordinasi.services import kegiatan_ubah_peserta
    from pendataan.services import keluarga_simpan, verifikasi_massal
    from pendataan.services_ppks import ppks_simpan, psks_simpan
    from tests.matrix.keluarga import buat_keluarga
    from tests.matrix.koordinasi import (
        buat_foto,
        buat_kegiatan,
        buat_mitra,
        buat_rujukan,
        buat_tindak_lanjut,
    )
    from tksk.models import KategoriPPKS, KategoriPSKS

    teks = teks if teks is not None else korpus()

    def t(i: int, batas: int = 150) -> str:
        return teks[i % len(teks)][:batas]

    dibuat: dict = {"keluarga": {}, "ppks": {}}
    for kec in ("pahandut", "jekanraya", "selat"):
        tksk = world.users[f"tksk_{kec}"]
        nama = [t(i) for i in range(3)] if kec == "pahandut" else [f"Warga Rahasia {kec}"] * 3
        kel = buat_keluarga(
            world,
            kec,
            anggota=[
                anggota(nama[0]),
                anggota(nama[1], hubungan="istri", jenis_kelamin="P"),
                anggota(f"{nama[2]} Anak", hubungan="anak"),
            ],
            alamat=t(3, 200) if kec == "pahandut" else f"Jalan Rahasia {kec}",
        )
        dibuat["keluarga"][kec] = kel
        individu = kel.anggota.order_by("pk").first()
        ppks, _ = ppks_simpan(
            pelaku=tksk,
            data={
                "kategori": KategoriPPKS.objects.get(singkatan="FM").pk,
                "subjek": "individu",
                "individu": str(individu.uuid),
                "tanggal_identifikasi": "2026-01-15",
                "deskripsi": t(4, 500),
                "kebutuhan": t(5, 500),
            },
        )
        ppks_simpan(
            pelaku=tksk,
            data={
                "kategori": KategoriPPKS.objects.get(singkatan="KTK").pk,
                "subjek": "individu",
                "individu": str(kel.anggota.order_by("pk")[1].uuid),
                "tanggal_identifikasi": "2026-01-16",
                "deskripsi": t(6, 500),
            },
        )
        dibuat["ppks"][kec] = ppks
        psks_simpan(
            pelaku=tksk,
            data={
                "kategori": KategoriPSKS.objects.get(singkatan="KT").pk,
                "jenis": "lembaga",
                "nama": t(7, 200) if kec == "pahandut" else f"Karang Taruna Rahasia {kec}",
                "desa": world.desa[kec].pk,
                "layanan": t(8, 500),
            },
        )
        mitra = buat_mitra(
            world,
            kec,
            nama=f"Mitra {t(9, 100)}" if kec == "pahandut" else f"Mitra Rahasia {kec}",
            layanan=t(10, 500),
        )
        kegiatan = buat_kegiatan(
            world,
            kec,
            mitra=[mitra],
            topik=t(11, 200) if kec == "pahandut" else f"Rapat Rahasia {kec}",
            notulen=t(12, 2000),
            tempat=t(13, 200),
        )
        buat_foto(world, kec, kegiatan=kegiatan)
        buat_tindak_lanjut(world, kec, kegiatan=kegiatan, uraian=t(14, 200))
        kegiatan_ubah_peserta(pelaku=tksk, kegiatan=kegiatan, tambah=True, individu=individu)
        buat_rujukan(
            world,
            kec,
            ppks=ppks,
            mitra=mitra,
            alasan=t(15, 2000),
            layanan=t(16, 1000),
            penandatangan_nama=t(0, 150),
        )
    # Submitted, then one household returned with a hostile note.
    kab = world.users["kab_palangkaraya"]
    for kec in ("pahandut", "jekanraya"):
        kel = dibuat["keluarga"][kec]
        verifikasi_massal(pelaku=world.users[f"tksk_{kec}"], objek=[kel], aksi="ajukan")
    verifikasi_massal(
        pelaku=kab,
        objek=[dibuat["keluarga"]["pahandut"]],
        aksi="kembalikan",
        alasan="tidak_lengkap",
        catatan=t(1, 2000),
    )
    # A second household in pahandut, still a draft, and a NIK entered twice across kecamatan:
    # the jekanraya TKSK types a pahandut person's NIK (a duplicate case for the kabupaten).
    buat_keluarga(world, "pahandut", anggota=[anggota(t(2))])
    asli = dibuat["keluarga"]["pahandut"].anggota.order_by("pk").first()
    with contextlib.suppress(ValidationError):
        keluarga_simpan(
            pelaku=world.users["tksk_jekanraya"],
            data={
                "no_kk": "",
                "alasan_tanpa_kk": "KK hilang",
                "desa": world.desa["jekanraya"],
                "alamat": "Jalan Ganda 1",
            },
            anggota=[{**anggota("Pendatang Ganda"), "nik": asli.nik}],
        )  # refused; the case for the kabupaten is what is wanted
    return dibuat


def nomor_lengkap() -> set[str]:
    """Every NIK and No KK in the database."""
    from pendataan.models import Individu, Keluarga

    nik = set(Individu.objects.exclude(nik=None).values_list("nik", flat=True))
    return nik | set(Keluarga.objects.exclude(no_kk=None).values_list("no_kk", flat=True))
