from django.urls import path

from laporan import views

app_name = "laporan"

urlpatterns = [
    path("", views.index, name="index"),
]
