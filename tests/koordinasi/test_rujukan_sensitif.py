"""A referral of a sensitive PPKS category, as users meet it on the pages: hidden from roles
outside the recording kecamatan's chain by Rujukan.objects.for_user itself."""

import pytest
from django.urls import reverse

from tests.matrix.koordinasi import buat_rujukan
from tests.matrix.ppks import buat_ppks
from tksk.models import KategoriPPKS


@pytest.mark.django_db
def test_sensitive_referral_hidden_on_the_pages_outside_the_chain(world, client):
    kategori = KategoriPPKS.objects.filter(sensitif=True).first()
    rahasia = buat_rujukan(world, "pahandut", ppks=buat_ppks(world, "pahandut", kategori.singkatan))
    biasa = buat_rujukan(world, "pahandut")
    daftar = reverse("koordinasi:rujukan-list")
    detail = reverse("koordinasi:rujukan-detail", args=[rahasia.uuid])

    client.force_login(world.users["prov"])
    halaman = client.get(daftar).content.decode()
    assert biasa.nomor in halaman
    assert rahasia.nomor not in halaman
    assert client.get(detail).status_code == 404
    assert client.get(reverse("koordinasi:rujukan-detail", args=[biasa.uuid])).status_code == 200

    client.force_login(world.users["kab_palangkaraya"])
    assert rahasia.nomor in client.get(daftar).content.decode()
    assert client.get(detail).status_code == 200
