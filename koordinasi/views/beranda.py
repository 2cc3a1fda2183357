"""The module's home page and its panel on the start page."""

from django.shortcuts import render

from koordinasi import selectors as sel
from koordinasi import services as svc
from tksk.kapabilitas import boleh


def index(request):
    user = request.user
    context = {
        "terlambat": list(sel.tindak_lanjut_terlambat(user)[:5]),
        "tanpa_jawaban": list(sel.rujukan_tanpa_jawaban(user)[:5]),
        # All still waiting, however recent: "all answered" only when none waits.
        "jumlah_menunggu": sel.rujukan_menunggu_jawaban(user).count(),
        "akan_datang": list(sel.kegiatan_akan_datang(user)[:5]),
        "batas_hari": svc.batas_hari_rujukan(),
    }
    return render(request, "koordinasi/index.html", context)


def panel_home(request):
    """Home-page panel: overdue follow-ups and unanswered referrals (registered in apps.py)."""
    user = request.user
    if not boleh(user, "koordinasi.pantau"):
        return None
    terlambat = sel.tindak_lanjut_terlambat(user)
    tanpa_jawaban = sel.rujukan_tanpa_jawaban(user)
    daftar_terlambat = list(terlambat[:5])
    daftar_tanpa_jawaban = list(tanpa_jawaban[:5])
    if not daftar_terlambat and not daftar_tanpa_jawaban:
        return None
    return (
        "koordinasi/panel_home.html",
        {
            "terlambat": daftar_terlambat,
            "jumlah_terlambat": terlambat.count() if len(daftar_terlambat) == 5 else None,
            "tanpa_jawaban": daftar_tanpa_jawaban,
            "jumlah_tanpa_jawaban": tanpa_jawaban.count()
            if len(daftar_tanpa_jawaban) == 5
            else None,
            "batas_hari": svc.batas_hari_rujukan(),
        },
    )
