from django.urls import path

from sinkron import views

app_name = "sinkron"

urlpatterns = [
    path("impor/", views.impor, name="impor"),
    path("konflik/", views.konflik_list, name="konflik-list"),
    path("konflik/<uuid:uuid>/", views.konflik_detail, name="konflik-detail"),
    path("permintaan/", views.permintaan_list, name="permintaan-list"),
    path("permintaan/<uuid:uuid>/", views.permintaan_detail, name="permintaan-detail"),
    path(
        "permintaan/<uuid:uuid>/putuskan/",
        views.permintaan_putuskan,
        name="permintaan-putuskan",
    ),
]
