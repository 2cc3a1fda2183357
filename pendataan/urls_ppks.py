# PPKS identifications and the PSKS inventory.
from django.urls import path

from pendataan import views_ppks

urlpatterns = [
    path("ppks/", views_ppks.ppks_list, name="ppks-list"),
    path("ppks/baru/", views_ppks.ppks_create, name="ppks-create"),
    path("ppks/subjek/", views_ppks.ppks_subjek, name="ppks-subjek"),
    path("ppks/<uuid:uuid>/", views_ppks.ppks_detail, name="ppks-detail"),
    path("ppks/<uuid:uuid>/ubah/", views_ppks.ppks_update, name="ppks-update"),
    path("ppks/<uuid:uuid>/penanganan/", views_ppks.ppks_penanganan, name="ppks-penanganan"),
    path("psks/", views_ppks.psks_list, name="psks-list"),
    path("psks/baru/", views_ppks.psks_create, name="psks-create"),
    path("psks/<uuid:uuid>/", views_ppks.psks_detail, name="psks-detail"),
    path("psks/<uuid:uuid>/ubah/", views_ppks.psks_update, name="psks-update"),
]
