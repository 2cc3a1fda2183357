from django.urls import path

from koordinasi import views

app_name = "koordinasi"

urlpatterns = [
    path("", views.index, name="index"),
]
