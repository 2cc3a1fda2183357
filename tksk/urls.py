from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tksk import views, views_perangkat, views_pwa
from tksk.auth import LoginView

app_urls = (
    [
        path("wilayah/", views.wilayah_detail, name="wilayah-detail-own"),
        path("wilayah/pilihan/", views.wilayah_pilihan, name="wilayah-pilihan"),
        path("wilayah/<str:kode>/", views.wilayah_detail, name="wilayah-detail"),
        path("akun/", views.akun_list, name="akun-list"),
        path("akun/baru/", views.akun_create, name="akun-create"),
        path("akun/<uuid:uuid>/ubah/", views.akun_update, name="akun-update"),
        path("akun/<uuid:uuid>/aktif/", views.akun_set_aktif, name="akun-set-aktif"),
        path(
            "akun/<uuid:uuid>/perangkat/cabut/",
            views_perangkat.akun_perangkat_cabut,
            name="akun-perangkat-cabut",
        ),
        path("profil/perangkat/", views_perangkat.perangkat_list, name="perangkat-list"),
        path(
            "profil/perangkat/<int:pk>/cabut/",
            views_perangkat.perangkat_cabut,
            name="perangkat-cabut",
        ),
        path(
            "profil/perangkat/cabut-semua/",
            views_perangkat.perangkat_cabut_semua,
            name="perangkat-cabut-semua",
        ),
        path("privasi/", views.privasi, name="privasi"),
        path("profil/", views.profil, name="profil"),
    ],
    "tksk",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots),
    path("sw.js", views_pwa.service_worker, name="service-worker"),
    path("manifest.webmanifest", views_pwa.manifest, name="manifest"),
    path("offline/", views_pwa.offline_home, name="offline-home"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(success_url="/accounts/password/selesai/"),
        name="password_change",
    ),
    path(
        "accounts/password/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include(app_urls)),
    path("pendataan/", include("pendataan.urls")),
    path("koordinasi/", include("koordinasi.urls")),
    path("laporan/", include("laporan.urls")),
    path("peta/", include("peta.urls")),
    path("sinkron/", include("sinkron.urls")),
    path("tenaga/", include("tenaga.urls")),
    path("api/", include("tksk.api.urls")),
    path("admin/", admin.site.urls),
]
