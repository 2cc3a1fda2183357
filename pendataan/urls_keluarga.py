# Households, persons, verification, history and duplicate cases.
from django.urls import path

from pendataan import views

urlpatterns = [
    path("keluarga/", views.keluarga_list, name="keluarga-list"),
    path("keluarga/baru/", views.keluarga_create, name="keluarga-create"),
    path("keluarga/<uuid:uuid>/", views.keluarga_detail, name="keluarga-detail"),
    path("keluarga/<uuid:uuid>/ubah/", views.keluarga_update, name="keluarga-update"),
    path("individu/", views.individu_list, name="individu-list"),
    path("verifikasi/", views.verifikasi_list, name="verifikasi-list"),
    path("verifikasi/aksi/", views.verifikasi_aksi, name="verifikasi-aksi"),
    path("kasus-ganda/", views.kasus_list, name="kasus-list"),
    path("kasus-ganda/<uuid:uuid>/", views.kasus_detail, name="kasus-detail"),
    path("kasus-ganda/<uuid:uuid>/selesaikan/", views.kasus_selesaikan, name="kasus-selesaikan"),
]
