"""Views of the laporan module: dashboards with drill-down and the monthly TKSK report.
Thin: forms validate, services write, selectors read (always from the user's scope)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from laporan import selectors as sel
from laporan import services as svc
from laporan.filters import SaringanLaporanForm, label_saringan, wilayah_pilihan
from laporan.forms import BukaLaporanForm, LaporanForm, SaringanForm, TinjauForm
from laporan.kompilasi import kompilasi, untuk_penampil
from laporan.models import LaporanBulanan
from peta.dasbor import peta_dasbor, tautan_titik
from peta.selectors import titik_sumber
from tksk import pdf
from tksk.kapabilitas import boleh
from tksk.konkurensi import RecordChanged
from tksk.konkurensi import pesan_berubah as pesan_konkurensi
from tksk.models import KategoriPPKS, KategoriPSKS, Tingkat, kop_untuk
from tksk.privasi import dalam_rantai
from tksk.routers import baca_replika
from tksk.scoping import get_scoped_or_404

TEMPLATE_DASBOR = {
    Tingkat.PROVINSI: "laporan/dasbor_provinsi.html",
    Tingkat.KABUPATEN: "laporan/dasbor_kabupaten.html",
    Tingkat.KECAMATAN: "laporan/dasbor_kecamatan.html",
    Tingkat.DESA: "laporan/dasbor_desa.html",
}


# --- dashboards -------------------------------------------------------------------------------


def index(request):
    """The dashboard of the user's own area (TKSK: kecamatan, kabupaten staff: kabupaten,
    province and admin: the province)."""
    wilayah = sel.wilayah_awal(request.user)
    if wilayah is None:
        return render(request, "laporan/tanpa_wilayah.html")
    return _dasbor(request, wilayah)


def dasbor_wilayah(request, kode):
    """Drill-down: any area in the user's scope; another area's code is a 404."""
    return _dasbor(request, sel.wilayah_untuk(request.user, kode))


@baca_replika()  # report reads: from the replica when there is one (tksk/routers.py)
def dasbor_konteks(user, wilayah, query) -> dict:
    """Everything a dashboard shows (shared by the page and the benchmark). A fixed number of
    queries whatever the amount of data."""
    kategori_ppks = list(KategoriPPKS.objects.order_by("nomor"))
    kategori_psks = list(KategoriPSKS.objects.order_by("nomor"))
    form = SaringanForm(query, kategori=kategori_ppks)
    saringan = form.saringan()
    data = sel.dasbor(
        user, wilayah, saringan, kategori_ppks=kategori_ppks, kategori_psks=kategori_psks
    )
    context = {
        **data,
        "form": form,
        "saringan": saringan,
        "periode_label": sel.label_bulan(saringan.bulan),
        "jejak": sel.jejak(wilayah, user),
        "data_per": sel.waktu_data(data["terakhir"]),
        "tren": sel.tren_ppks(user, wilayah, saringan, kategori_ppks),
        "sendiri": sel.area_sendiri(user, wilayah),
    }
    if wilayah.tingkat != Tingkat.DESA:
        koor = sel.koordinasi_per_anak(user, wilayah, saringan, [b.wilayah for b in data["baris"]])
        context["koordinasi"] = koor
        grid = sel.kepatuhan(user, wilayah, saringan.bulan)
        context["kepatuhan"] = grid
        per_kec = {row["kecamatan"].pk: row for row in grid["baris"]}
        per_kab = {g["kabupaten"].pk: g for g in grid.get("kelompok", [])}
        for b in data["baris"]:
            b.koordinasi = koor["per_anak"].get(b.wilayah.kode)
            if wilayah.tingkat == Tingkat.KABUPATEN:
                row = per_kec.get(b.wilayah.pk)
                b.laporan = row["sel"][-1] if row else None
            elif wilayah.tingkat == Tingkat.PROVINSI:
                # "Laporan masuk": the kabupaten's reports that reached the Dinas this month
                # (linked to their list) beside the number of its kecamatan.
                b.laporan = per_kab.get(b.wilayah.pk)
        if wilayah.tingkat == Tingkat.KECAMATAN and grid["baris"]:
            context["laporan_sel"] = grid["baris"][0]["sel"][-1]
    if wilayah.tingkat == Tingkat.PROVINSI:
        context["rujukan"] = sel.hasil_rujukan(user, wilayah, saringan)
    if wilayah.tingkat == Tingkat.KECAMATAN and context["sendiri"] and boleh(user, "laporan.tulis"):
        context["perhatian"] = sel.perlu_perhatian(user, data["tabel"])
        # Without a chosen month the report offered is the one due, not the running month.
        bulan_lapor = saringan.bulan if query.get("periode") else sel.bulan_jatuh_tempo()
        context["laporan_saya"] = sel.laporan_tksk(user, bulan_lapor)
        context["laporan_saya_bulan"] = bulan_lapor
        context["laporan_saya_label"] = sel.label_bulan(bulan_lapor)
    return context


def _dasbor(request, wilayah):
    context = dasbor_konteks(request.user, wilayah, request.GET)
    context["css"] = "css/laporan.css"
    # From the same rows; the PSKS and partner points from their own scoped querysets.
    sumber = titik_sumber(
        request.user, wilayah, hanya_terverifikasi=context["saringan"].hanya_terverifikasi
    )
    context["peta"] = peta_dasbor(context, request.GET.get("peta"), sumber)
    context["peta_titik"] = tautan_titik(request.user, wilayah)
    return render(request, TEMPLATE_DASBOR[wilayah.tingkat], context)


# --- monthly report ---------------------------------------------------------------------------


def _laporan(request, uuid) -> LaporanBulanan:
    return get_scoped_or_404(
        LaporanBulanan.objects.select_related("kecamatan__kabupaten", "tksk", "ditinjau_oleh"),
        request.user,
        uuid=uuid,
    )


def bulanan_list(request):
    """Reports of the user's scope (a TKSK: their kecamatan's), those waiting for review
    first; narrowed by month, area and status as the dashboards link to it. An area outside
    the scope is a 404; a malformed or doubled filter an error over an empty list."""
    user = request.user
    form = SaringanLaporanForm(request.GET, user=user)
    saringan = form.saringan()
    if saringan is None:
        qs = LaporanBulanan.objects.none()
    else:
        qs = sel.laporan_daftar(user, **saringan)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    bulan = sel.bulan_ini()
    jatuh_tempo = sel.bulan_jatuh_tempo()
    terpilih = (saringan or {}).get("wilayah")
    context = {
        "page": page,
        "form": form,
        "saringan_label": label_saringan(saringan),
        "wilayah_terpilih": terpilih,
        "wilayah_pilihan": wilayah_pilihan(user, terpilih),
        "buka_form": BukaLaporanForm(initial={"bulan": f"{jatuh_tempo:%Y-%m}"}),
        "bulan_ini": bulan,
        "jatuh_tempo": jatuh_tempo,
        "batas_jatuh_tempo": sel.batas_lapor(jatuh_tempo),
        "bulan_lalu": sel.geser_bulan(bulan, -1),
        "css": "css/laporan.css",
    }
    return render(request, "laporan/bulanan_list.html", context)


@require_POST
def bulanan_buka(request):
    if not boleh(request.user, "laporan.tulis"):
        raise PermissionDenied
    form = BukaLaporanForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("laporan:bulanan-list")
    try:
        laporan, dibuat = svc.laporan_buka(pelaku=request.user, bulan=form.cleaned_data["bulan"])
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("laporan:bulanan-list")
    if laporan.boleh_diubah:
        return redirect("laporan:bulanan-ubah", uuid=laporan.uuid)
    return redirect("laporan:bulanan-detail", uuid=laporan.uuid)


def isi_laporan(laporan: LaporanBulanan, user) -> dict:
    """The report's content for `user`: frozen numbers once submitted, live ones before."""
    if laporan.beku and not laporan.boleh_diubah:
        data = laporan.data
    else:
        data = kompilasi(laporan, user)
    return untuk_penampil(data, user)


def _konteks_laporan(request, laporan, **extra) -> dict:
    user = request.user
    return {
        "laporan": laporan,
        "isi": isi_laporan(laporan, user),
        "riwayat": laporan.riwayat.select_related("pelaku").all(),
        "boleh_ubah": svc.laporan_dapat_diisi(user, laporan),
        "boleh_tinjau": svc.laporan_dapat_ditinjau(user, laporan),
        "tinjau_form": TinjauForm(),
        "rantai": dalam_rantai(user),
        "periode_label": sel.label_bulan(laporan.bulan),
        "batas": sel.batas_lapor(laporan.bulan),
        "bulan_selesai": sel.bulan_selesai(laporan.bulan),
        "pesan_belum_selesai": sel.pesan_belum_selesai(laporan.bulan),
        "css": "css/laporan.css",
        **extra,
    }


def bulanan_detail(request, uuid):
    laporan = _laporan(request, uuid)
    return render(request, "laporan/bulanan_detail.html", _konteks_laporan(request, laporan))


def bulanan_ubah(request, uuid):
    laporan = _laporan(request, uuid)
    user = request.user
    if not svc.laporan_milik(user, laporan):
        raise PermissionDenied
    if not laporan.boleh_diubah:
        messages.info(request, "Laporan ini sudah diajukan; isinya tidak dapat diubah lagi.")
        return redirect("laporan:bulanan-detail", uuid=laporan.uuid)
    pesan_berubah = None
    if request.method == "POST":
        form = LaporanForm(request.POST, instance=laporan)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in svc.KOLOM_NARASI}
            try:
                laporan = svc.laporan_simpan(
                    pelaku=user, laporan=laporan, data=data, versi=form.cleaned_data["versi"]
                )
                if "ajukan" in request.POST:
                    if not sel.bulan_selesai(laporan.bulan):
                        messages.warning(
                            request, "Draf disimpan. " + sel.pesan_belum_selesai(laporan.bulan)
                        )
                        return redirect("laporan:bulanan-ubah", uuid=laporan.uuid)
                    # The numbers are frozen only after the TKSK has seen them and confirmed.
                    messages.success(request, "Draf disimpan. Periksa angkanya, lalu ajukan.")
                    return redirect("laporan:bulanan-ajukan", uuid=laporan.uuid)
                messages.success(request, "Laporan disimpan sebagai draf.")
                return redirect("laporan:bulanan-ubah", uuid=laporan.uuid)
            except RecordChanged as e:
                pesan_berubah = pesan_konkurensi(e.current)
                laporan.refresh_from_db()
                form.data = form.data.copy()
                form.data["versi"] = laporan.versi
            except ValidationError as e:
                form.add_error(None, e)
    else:
        form = LaporanForm(instance=laporan)
    context = _konteks_laporan(request, laporan, form=form, pesan_berubah=pesan_berubah)
    return render(request, "laporan/bulanan_form.html", context)


def bulanan_ajukan(request, uuid):
    """GET: the numbers that will be frozen, and a confirmation button. POST with `konfirmasi`:
    submit; a POST without it (an old form) shows the confirmation first."""
    laporan = _laporan(request, uuid)
    user = request.user
    if not svc.laporan_milik(user, laporan):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("konfirmasi") == "1":
        try:
            svc.laporan_ajukan(pelaku=user, laporan=laporan, versi=request.POST.get("versi"))
            messages.success(
                request,
                f"Laporan {sel.label_bulan(laporan.bulan)} diajukan ke Dinas Sosial. "
                "Angka-angkanya kini dibekukan.",
            )
        except RecordChanged as e:
            messages.error(request, pesan_konkurensi(e.current))
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        return redirect("laporan:bulanan-detail", uuid=laporan.uuid)
    if request.method == "POST":
        return redirect("laporan:bulanan-ajukan", uuid=laporan.uuid)
    if not laporan.boleh_diubah:
        messages.info(request, "Laporan ini sudah diajukan.")
        return redirect("laporan:bulanan-detail", uuid=laporan.uuid)
    return render(request, "laporan/bulanan_ajukan.html", _konteks_laporan(request, laporan))


@require_POST
def bulanan_tinjau(request, uuid):
    laporan = _laporan(request, uuid)
    if not boleh(request.user, "laporan.tinjau"):
        raise PermissionDenied
    form = TinjauForm(request.POST)
    if form.is_valid():
        try:
            svc.laporan_tinjau(
                pelaku=request.user,
                laporan=laporan,
                keputusan=form.cleaned_data["keputusan"],
                catatan=form.cleaned_data["catatan"],
                versi=request.POST.get("versi"),
            )
            if form.cleaned_data["keputusan"] == "terima":
                messages.success(request, "Laporan diterima.")
            else:
                messages.success(request, "Laporan dikembalikan ke TKSK dengan catatan Anda.")
            return redirect("laporan:bulanan-detail", uuid=laporan.uuid)
        except RecordChanged as e:
            form.add_error(None, pesan_konkurensi(e.current))
        except ValidationError as e:
            form.add_error(None, e)
        laporan.refresh_from_db()
    context = _konteks_laporan(request, laporan, tinjau_form=form)
    return render(request, "laporan/bulanan_detail.html", context, status=400)


def bulanan_pdf(request, uuid):
    laporan = _laporan(request, uuid)
    context = konteks_pdf_laporan(laporan, request.user)
    try:
        isi = pdf.render_pdf("laporan/pdf/laporan_bulanan.html", context)
    except pdf.PDFGagal:
        return render(request, "laporan/pdf_gagal.html", status=503)
    pdf.catat_cetak(request=request, objek=laporan, dokumen="laporan_bulanan")
    nama = f"laporan-bulanan-{laporan.kecamatan.nama}-{laporan.bulan:%Y-%m}.pdf"
    return pdf.pdf_response(isi, nama)


def konteks_pdf_laporan(laporan: LaporanBulanan, user) -> dict:
    kop = kop_untuk(laporan.kecamatan)
    return {
        "laporan": laporan,
        "isi": isi_laporan(laporan, user),
        "periode_label": sel.label_bulan(laporan.bulan),
        "kop": kop,
        "logo": pdf.logo_data_uri(kop.logo) if kop else None,
        "pencetak": user,
        "rantai": dalam_rantai(user),
    }
