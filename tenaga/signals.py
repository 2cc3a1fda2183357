"""What tenaga does when the core tells of a change to an account."""

from django.dispatch import receiver

from tenaga.services import akun_dipindah
from tksk.signals import akun_dipindahkan


@receiver(akun_dipindahkan)
def profil_ikut_akun(sender, *, pelaku, akun, **kwargs) -> None:
    """The TKSK's profile follows the account to its new kecamatan."""
    akun_dipindah(pelaku=pelaku, akun=akun)
