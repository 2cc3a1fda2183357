from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import F
from django.dispatch import receiver

from tksk.audit import catat


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    catat(aksi="login", pelaku=user, request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    # Logging out ends the user's other sessions too (a lost phone is closed from the desktop).
    sender.objects.filter(pk=user.pk).update(sesi_versi=F("sesi_versi") + 1)
    catat(aksi="logout", pelaku=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    catat(
        aksi="login_gagal",
        data={"username": credentials.get("username", "")[:150]},
        request=request,
    )
