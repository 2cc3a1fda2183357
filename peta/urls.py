from django.urls import path

from peta import views

app_name = "peta"

urlpatterns = [
    path("titik/<str:kode>/", views.titik_desa, name="titik-desa"),
    path("kecamatan.svg", views.kecamatan_svg, name="kecamatan-svg"),
]
