from django.urls import path

from koordinasi import views

app_name = "koordinasi"

urlpatterns = [
    path("", views.index, name="index"),
    # Mitra
    path("mitra/", views.mitra_list, name="mitra-list"),
    path("mitra/baru/", views.mitra_create, name="mitra-create"),
    path("mitra/<uuid:uuid>/", views.mitra_detail, name="mitra-detail"),
    path("mitra/<uuid:uuid>/ubah/", views.mitra_update, name="mitra-update"),
    # Kegiatan, foto, peserta, tindak lanjut
    path("kegiatan/", views.kegiatan_list, name="kegiatan-list"),
    path("kegiatan/baru/", views.kegiatan_create, name="kegiatan-create"),
    path("kegiatan/<uuid:uuid>/", views.kegiatan_detail, name="kegiatan-detail"),
    path("kegiatan/<uuid:uuid>/ubah/", views.kegiatan_update, name="kegiatan-update"),
    path("kegiatan/<uuid:uuid>/foto/", views.kegiatan_foto_tambah, name="kegiatan-foto-tambah"),
    path("kegiatan/<uuid:uuid>/foto/<uuid:foto>/", views.kegiatan_foto, name="kegiatan-foto"),
    path(
        "kegiatan/<uuid:uuid>/foto/<uuid:foto>/hapus/",
        views.kegiatan_foto_hapus,
        name="kegiatan-foto-hapus",
    ),
    path(
        "kegiatan/<uuid:uuid>/peserta/cari/",
        views.kegiatan_peserta_cari,
        name="kegiatan-peserta-cari",
    ),
    path("kegiatan/<uuid:uuid>/peserta/", views.kegiatan_peserta, name="kegiatan-peserta"),
    path(
        "kegiatan/<uuid:uuid>/tindak-lanjut/",
        views.tindak_lanjut_create,
        name="tindaklanjut-create",
    ),
    path(
        "kegiatan/<uuid:uuid>/tindak-lanjut/<uuid:tl>/",
        views.tindak_lanjut_update,
        name="tindaklanjut-update",
    ),
    path("tindak-lanjut/", views.tindak_lanjut_list, name="tindaklanjut-list"),
    path("agenda/", views.agenda, name="agenda"),
    # Rujukan
    path("rujukan/", views.rujukan_list, name="rujukan-list"),
    path("rujukan/baru/", views.rujukan_pilih_ppks, name="rujukan-pilih"),
    path("rujukan/baru/<uuid:ppks>/", views.rujukan_create, name="rujukan-create"),
    path("rujukan/<uuid:uuid>/", views.rujukan_detail, name="rujukan-detail"),
    path("rujukan/<uuid:uuid>/status/", views.rujukan_status, name="rujukan-status"),
    path("rujukan/<uuid:uuid>/surat/", views.rujukan_surat, name="rujukan-surat"),
    # The partner link: no login, the token is the credential.
    path("r/<str:token>/", views.rujukan_mitra, name="rujukan-mitra"),
    # Letterhead (admin)
    path("kop-surat/", views.kop_update, name="kop-update"),
]
