from django.urls import path

from laporan import views, views_ekspor

app_name = "laporan"

urlpatterns = [
    path("", views.index, name="index"),
    path("wilayah/<str:kode>/", views.dasbor_wilayah, name="wilayah"),
    # Monthly TKSK report
    path("bulanan/", views.bulanan_list, name="bulanan-list"),
    path("bulanan/buka/", views.bulanan_buka, name="bulanan-buka"),
    path("bulanan/<uuid:uuid>/", views.bulanan_detail, name="bulanan-detail"),
    path("bulanan/<uuid:uuid>/ubah/", views.bulanan_ubah, name="bulanan-ubah"),
    path("bulanan/<uuid:uuid>/ajukan/", views.bulanan_ajukan, name="bulanan-ajukan"),
    path("bulanan/<uuid:uuid>/tinjau/", views.bulanan_tinjau, name="bulanan-tinjau"),
    path("bulanan/<uuid:uuid>/pdf/", views.bulanan_pdf, name="bulanan-pdf"),
    # Recaps and exports
    path("rekap/ppks/", views_ekspor.rekap, {"jenis": "ppks"}, name="rekap-ppks"),
    path("rekap/psks/", views_ekspor.rekap, {"jenis": "psks"}, name="rekap-psks"),
    path("ekspor/", views_ekspor.ekspor, name="ekspor"),
    path("ekspor/<uuid:uuid>/", views_ekspor.ekspor_status, name="ekspor-status"),
    path("ekspor/<uuid:uuid>/unduh/", views_ekspor.ekspor_unduh, name="ekspor-unduh"),
]
