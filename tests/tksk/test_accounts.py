"""Account management by admins, and the rule that nobody changes their own role or area."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tksk.models import AuditLog, User, Wilayah


@pytest.mark.django_db
def test_admin_creates_tksk_account(client, world):
    client.force_login(world.users["admin"])
    kec = world.kec["selat"]
    response = client.post(
        reverse("tksk:akun-create"),
        {
            "username": "tksk.baru",
            "first_name": "Siti",
            "last_name": "Aminah",
            "role": "tksk",
            "wilayah": kec.pk,
            "password1": "Rumah-Betang-Indah-31",
            "password2": "Rumah-Betang-Indah-31",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(username="tksk.baru")
    assert user.wilayah == kec and user.role == "tksk"
    assert user.check_password("Rumah-Betang-Indah-31")
    assert AuditLog.objects.filter(aksi="akun_buat", objek_uuid=user.uuid).exists()


@pytest.mark.django_db
def test_role_and_area_level_mismatch_refused_with_message(client, world):
    client.force_login(world.users["admin"])
    response = client.post(
        reverse("tksk:akun-create"),
        {
            "username": "salah.tingkat",
            "role": "tksk",
            "wilayah": world.kab["kapuas"].pk,
            "password1": "Rumah-Betang-Indah-31",
            "password2": "Rumah-Betang-Indah-31",
        },
    )
    assert response.status_code == 200
    assert "harus ditugaskan ke wilayah tingkat kecamatan" in response.content.decode()
    assert not User.objects.filter(username="salah.tingkat").exists()


@pytest.mark.django_db
def test_database_refuses_role_level_mismatch_even_by_raw_update(world):
    tksk = world.users["tksk_pahandut"]
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=tksk.pk).update(
            wilayah=world.kab["kapuas"], wilayah_tingkat="kecamatan"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=tksk.pk).update(
            wilayah=world.kab["kapuas"], wilayah_tingkat="kabupaten"
        )


@pytest.mark.django_db
def test_admin_cannot_change_own_role_or_area(client, world):
    admin = world.users["admin"]
    client.force_login(admin)
    client.post(
        reverse("tksk:akun-update", args=[admin.uuid]),
        {"role": "tksk", "wilayah": world.kec["selat"].pk, "first_name": "X", "last_name": ""},
    )
    admin.refresh_from_db()
    assert admin.role == "admin" and admin.wilayah is None


@pytest.mark.django_db
def test_non_admin_cannot_manage_accounts(client, world):
    for name in ["tksk_pahandut", "kab_palangkaraya", "prov"]:
        client.force_login(world.users[name])
        assert client.get(reverse("tksk:akun-list")).status_code == 403
        response = client.post(
            reverse("tksk:akun-update", args=[world.users[name].uuid]),
            {"role": "admin", "wilayah": ""},
        )
        assert response.status_code == 403
    assert User.objects.get(username="prov").role == "provinsi"


@pytest.mark.django_db
def test_deactivation_ends_sessions(client, world):
    from django.test import Client

    victim = world.users["tksk_jekanraya"]
    victim_client = Client()
    victim_client.force_login(victim)
    assert victim_client.get("/").status_code == 200
    client.force_login(world.users["admin"])
    response = client.post(reverse("tksk:akun-set-aktif", args=[victim.uuid]), {"aktif": "0"})
    assert response.status_code == 302
    assert victim_client.get("/").status_code == 302
    victim.refresh_from_db()
    assert not victim.is_active


@pytest.mark.django_db
def test_user_moved_to_another_kecamatan_loses_old_one_on_next_request(client, world):
    user = world.users["tksk_pahandut"]
    client.force_login(user)
    own = reverse("tksk:wilayah-detail", args=["62.71.01"])
    assert client.get(own).status_code == 200
    User.objects.filter(pk=user.pk).update(wilayah=world.kec["jekanraya"])
    assert client.get(own).status_code == 404
    assert client.get(reverse("tksk:wilayah-detail", args=["62.71.03"])).status_code == 200


@pytest.mark.django_db
def test_user_without_assignment_sees_nothing(client, world):
    client.force_login(world.users["unassigned"])
    html = client.get("/").content.decode()
    assert "belum ditugaskan" in html
    assert Wilayah.objects.for_user(world.users["unassigned"]).count() == 0


@pytest.mark.django_db
def test_cascade_options_only_in_scope(client, world):
    client.force_login(world.users["kab_palangkaraya"])
    url = reverse("tksk:wilayah-pilihan")
    html = client.get(url, {"induk": world.kec["pahandut"].pk}).content.decode()
    assert world.desa["pahandut"].nama in html
    assert client.get(url, {"induk": world.kec["selat"].pk}).status_code == 404
    assert client.get(url, {"induk": "x"}).status_code == 404
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_cascade_widget_levels_by_role(world):
    from django import forms

    from tksk.forms import ScopedFormMixin, WilayahCascadeField

    class DesaForm(ScopedFormMixin, forms.Form):
        desa = WilayahCascadeField()

    tksk_html = str(DesaForm(user=world.users["tksk_pahandut"])["desa"])
    assert "desa__kabupaten" not in tksk_html and "desa__kecamatan" not in tksk_html
    assert world.desa["pahandut"].nama in tksk_html
    kab_html = str(DesaForm(user=world.users["kab_palangkaraya"])["desa"])
    assert "desa__kecamatan" in kab_html and "desa__kabupaten" not in kab_html
    assert "Pahandut" in kab_html and "Selat" not in kab_html
    prov_html = str(DesaForm(user=world.users["prov"])["desa"])
    assert "desa__kabupaten" in prov_html and "Kabupaten Kapuas" in prov_html
    # A desa outside the TKSK's kecamatan cannot be posted.
    form = DesaForm({"desa": world.desa["selat"].pk}, user=world.users["tksk_pahandut"])
    assert not form.is_valid() and "wilayah tugas" in form.errors["desa"][0]
    form = DesaForm({"desa": world.desa["pahandut"].pk}, user=world.users["tksk_pahandut"])
    assert form.is_valid()
    # Re-rendered with a value, the cascade pre-selects its ancestors.
    bound = DesaForm({"desa": world.desa["selat"].pk}, user=world.users["prov"])
    html = str(bound["desa"])
    assert f'value="{world.kec["selat"].pk}" selected' in html


@pytest.mark.django_db
def test_malformed_ids_are_404_not_500(client, world):
    from tksk.models import User
    from tksk.scoping import get_scoped_or_404

    client.force_login(world.users["admin"])
    assert client.get("/wilayah/pilihan/?induk=1e9999").status_code == 404
    from django.http import Http404

    with pytest.raises(Http404):
        get_scoped_or_404(User.objects, world.users["admin"], uuid="bukan-uuid")
