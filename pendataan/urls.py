from django.urls import path

from pendataan import urls_impor, urls_keluarga, urls_ppks, views

app_name = "pendataan"

urlpatterns = [
    path("", views.index, name="index"),
    *urls_keluarga.urlpatterns,
    *urls_ppks.urlpatterns,
    *urls_impor.urlpatterns,
]
