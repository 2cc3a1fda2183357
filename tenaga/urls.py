from django.urls import path

from tenaga import views, views_bimtek, views_impor, views_kinerja, views_sertifikat

app_name = "tenaga"

urlpatterns = [
    path("", views.profil_list, name="profil-list"),
    path("baru/", views.profil_create, name="profil-create"),
    path("impor/", views_impor.impor_index, name="impor"),
    path("impor/templat/", views_impor.impor_templat, name="impor-templat"),
    path("impor/konfirmasi/", views_impor.impor_konfirmasi, name="impor-konfirmasi"),
    path("usulan/", views.usulan_list, name="usulan-list"),
    path("usulan/<uuid:uuid>/putus/", views.usulan_putus, name="usulan-putus"),
    path("kecamatan-kosong/", views.kosong_list, name="kosong-list"),
    path("sk-berakhir/", views.sk_berakhir_list, name="sk-berakhir-list"),
    path("belum-dilatih/", views.belum_dilatih_list, name="belum-dilatih-list"),
    path("<uuid:uuid>/", views.profil_detail, name="profil-detail"),
    path("<uuid:uuid>/ubah/", views.profil_update, name="profil-update"),
    path("<uuid:uuid>/kontak/ubah/", views.kontak_ubah, name="kontak-ubah"),
    path("<uuid:uuid>/status/", views.profil_status, name="profil-status"),
    path("<uuid:uuid>/sk/tambah/", views.sk_tambah, name="sk-tambah"),
    path("<uuid:uuid>/usulan/tambah/", views.usulan_tambah, name="usulan-tambah"),
    path("<uuid:uuid>/kinerja/", views_kinerja.profil_kinerja, name="profil-kinerja"),
    path("<uuid:uuid>/kinerja.pdf", views_kinerja.profil_kinerja_pdf, name="profil-kinerja-pdf"),
    path("kinerja/", views_kinerja.kinerja_list, name="kinerja-list"),
    path("bimtek/", views_bimtek.bimtek_list, name="bimtek-list"),
    path("bimtek/baru/", views_bimtek.bimtek_create, name="bimtek-create"),
    path("bimtek/<uuid:uuid>/", views_bimtek.bimtek_detail, name="bimtek-detail"),
    path("bimtek/<uuid:uuid>/ubah/", views_bimtek.bimtek_update, name="bimtek-update"),
    path(
        "bimtek/<uuid:uuid>/peserta/tambah/",
        views_bimtek.peserta_tambah,
        name="bimtek-peserta-tambah",
    ),
    path(
        "bimtek/<uuid:uuid>/materi/tambah/",
        views_bimtek.materi_tambah,
        name="bimtek-materi-tambah",
    ),
    path(
        "bimtek/<uuid:uuid>/materi/<uuid:materi>/",
        views_bimtek.materi_unduh,
        name="bimtek-materi-unduh",
    ),
    path("bimtek/<uuid:uuid>/hadir/", views_bimtek.bimtek_hadir, name="bimtek-hadir"),
    path("bimtek/<uuid:uuid>/nilai/", views_bimtek.bimtek_nilai, name="bimtek-nilai"),
    path(
        "bimtek/<uuid:uuid>/sertifikat/<uuid:peserta>.pdf",
        views_bimtek.sertifikat_pdf,
        name="sertifikat-pdf",
    ),
    path(
        "bimtek/<uuid:uuid>/sertifikat/semua/",
        views_sertifikat.minta,
        name="sertifikat-massal-minta",
    ),
    path(
        "sertifikat-massal/<uuid:uuid>/",
        views_sertifikat.status,
        name="sertifikat-massal-status",
    ),
    path(
        "sertifikat-massal/<uuid:uuid>/unduh/",
        views_sertifikat.unduh,
        name="sertifikat-massal-unduh",
    ),
    path(
        "sertifikat/<str:token>/",
        views_bimtek.sertifikat_verifikasi,
        name="sertifikat-verifikasi",
    ),
]
