from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import F
from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal, receiver

from tksk.audit import catat

# Sent by the account services, inside their transaction, after an account's area changed
# (keyword arguments `pelaku` and `akun`). Apps that keep records about an account's area (the
# TKSK profile) follow it here, so the core imports no app; a receiver's error rolls back the
# change.
akun_dipindahkan = Signal()


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    catat(aksi="login", pelaku=user, request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    # Logging out ends the user's other sessions too (a lost phone is closed from the desktop).
    sender.objects.filter(pk=user.pk).update(sesi_versi=F("sesi_versi") + 1)
    # The devices made from this very session end with it (sent before the session is flushed).
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        from tksk.perangkat import AlasanCabut, Perangkat, cabut_perangkat

        cabut_perangkat(
            queryset=Perangkat.objects.filter(user=user, sesi_kunci=session_key),
            alasan=AlasanCabut.KELUAR,
            pelaku=user,
            request=request,
        )
    catat(aksi="logout", pelaku=user, request=request)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def note_credentials_change(sender, instance, update_fields=None, **kwargs):
    """Whatever changes a password or the active flag (own change, an admin's reset, the account
    pages, the Django admin, a management command), every device token of the account ends."""
    instance._perangkat_alasan = None
    if instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    from tksk.perangkat import AlasanCabut

    if before["is_active"] != instance.is_active:
        instance._perangkat_alasan = (
            AlasanCabut.AKTIF_ULANG if instance.is_active else AlasanCabut.NONAKTIF
        )
    elif before["password"] != instance.password:
        instance._perangkat_alasan = AlasanCabut.SANDI


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def revoke_devices_on_credentials_change(sender, instance, created, **kwargs):
    alasan = getattr(instance, "_perangkat_alasan", None)
    if created or not alasan:
        return
    instance._perangkat_alasan = None
    from tksk.perangkat import cabut_perangkat

    cabut_perangkat(queryset=instance.perangkat.all(), alasan=alasan)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    catat(
        aksi="login_gagal",
        data={"username": credentials.get("username", "")[:150]},
        request=request,
    )
