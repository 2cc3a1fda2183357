from django.urls import path

from pendataan import views

app_name = "pendataan"

urlpatterns = [
    path("", views.index, name="index"),
]
