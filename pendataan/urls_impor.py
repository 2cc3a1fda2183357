# Spreadsheet import of households, members and PPKS.
from django.urls import path

from pendataan import views_impor

urlpatterns = [
    path("impor/", views_impor.impor_index, name="impor-index"),
    path("impor/templat/", views_impor.impor_templat, name="impor-templat"),
    path("impor/<uuid:token>/", views_impor.impor_detail, name="impor-detail"),
    path("impor/<uuid:token>/konfirmasi/", views_impor.impor_konfirmasi, name="impor-konfirmasi"),
    path("impor/<uuid:token>/batal/", views_impor.impor_batal, name="impor-batal"),
]
