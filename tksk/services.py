"""Writes to accounts. Every function takes the acting user, runs in one transaction and leaves an
audit entry."""

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from tksk.audit import catat
from tksk.kapabilitas import wajib
from tksk.models import ROLE_TINGKAT, Role, User, Wilayah
from tksk.perangkat import AlasanCabut, Perangkat, cabut_perangkat
from tksk.scoping import sees_everything
from tksk.signals import akun_dipindahkan


def validate_assignment(role: str, wilayah: Wilayah | None) -> None:
    if wilayah is None:
        return
    expected = ROLE_TINGKAT[Role(role)]
    if wilayah.tingkat != expected:
        raise ValidationError(
            {
                "wilayah": (
                    f"Peran {Role(role).label} harus ditugaskan ke wilayah tingkat "
                    f"{expected.label.lower()}, bukan {wilayah.get_tingkat_display().lower()} "
                    f"{wilayah.nama}."
                )
            }
        )


def _check_admin(actor: User) -> None:
    wajib(actor, "akun.kelola", "Hanya admin yang dapat mengelola akun.")


def _check_area_allowed(actor: User, wilayah: Wilayah | None) -> None:
    """An admin limited to a province assigns only inside it."""
    if sees_everything(actor):
        return
    if wilayah is None or not Wilayah.objects.for_user(actor).filter(pk=wilayah.pk).exists():
        raise PermissionDenied("Wilayah di luar cakupan Anda.")


@transaction.atomic
def akun_buat(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    wilayah: Wilayah | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    validate_password: bool = True,
) -> User:
    """Create an account. `actor` is None only for management commands run on the server."""
    if actor is not None:
        _check_admin(actor)
        _check_area_allowed(actor, wilayah)
    validate_assignment(role, wilayah)
    user = User(
        username=username,
        role=role,
        wilayah=wilayah,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=role == Role.ADMIN,
    )
    if validate_password:
        password_validation.validate_password(password, user)
    if user.pk is not None:
        cabut_perangkat(queryset=user.perangkat.all(), alasan=AlasanCabut.SANDI, pelaku=actor)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    catat(
        aksi="akun_buat",
        pelaku=actor,
        objek=user,
        data={"role": role, "wilayah": wilayah.kode if wilayah else None},
    )
    return user


@transaction.atomic
def akun_ubah(
    *,
    actor: User,
    user: User,
    role: str,
    wilayah: Wilayah | None,
    first_name: str,
    last_name: str,
    email: str,
) -> User:
    _check_admin(actor)
    _check_area_allowed(actor, wilayah)
    if user.pk == actor.pk and (role != user.role or wilayah != user.wilayah):
        raise PermissionDenied("Anda tidak dapat mengubah peran atau wilayah akun Anda sendiri.")
    validate_assignment(role, wilayah)
    before = {"role": user.role, "wilayah": user.wilayah.kode if user.wilayah else None}
    user.role, user.wilayah = role, wilayah
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.is_staff = role == Role.ADMIN
    user.save()
    after = {"role": role, "wilayah": wilayah.kode if wilayah else None}
    catat(aksi="akun_ubah", pelaku=actor, objek=user, data={"sebelum": before, "sesudah": after})
    if before["wilayah"] != after["wilayah"]:
        # The TKSK's profile follows the account; the move goes into the assignment history.
        akun_dipindahkan.send(sender=User, pelaku=actor, akun=user)
    return user


@transaction.atomic
def akun_set_aktif(*, actor: User, user: User, aktif: bool) -> User:
    _check_admin(actor)
    if user.pk == actor.pk:
        raise PermissionDenied("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    # Every device ends on either change (a reactivated account starts with no device).
    cabut_perangkat(
        queryset=user.perangkat.all(),
        alasan=AlasanCabut.AKTIF_ULANG if aktif else AlasanCabut.NONAKTIF,
        pelaku=actor,
    )
    user.is_active = aktif
    if not aktif:
        # Ends every session at its next request (the session hash no longer matches).
        user.sesi_versi = F("sesi_versi") + 1
    user.save(update_fields=["is_active", "sesi_versi"])
    user.refresh_from_db(fields=["sesi_versi"])
    catat(aksi="akun_aktifkan" if aktif else "akun_nonaktifkan", pelaku=actor, objek=user)
    return user


@transaction.atomic
def akun_setel_sandi(*, actor: User | None, user: User, password: str) -> User:
    password_validation.validate_password(password, user)
    if user.pk is not None:
        cabut_perangkat(queryset=user.perangkat.all(), alasan=AlasanCabut.SANDI, pelaku=actor)
    user.set_password(password)
    user.sesi_versi = F("sesi_versi") + 1
    user.save(update_fields=["password", "sesi_versi"])
    user.refresh_from_db(fields=["sesi_versi"])
    catat(aksi="akun_setel_sandi", pelaku=actor, objek=user)
    return user


@transaction.atomic
def perangkat_cabut(*, actor: User, perangkat: Perangkat) -> None:
    """Revoke one device on purpose (a lost phone): its next request answers `perangkat_dicabut`,
    and the offline client wipes what it holds. The caller has already scoped `perangkat`."""
    if perangkat.user_id != actor.pk:
        _check_admin(actor)
    cabut_perangkat(
        queryset=Perangkat.objects.filter(pk=perangkat.pk), alasan=AlasanCabut.DICABUT, pelaku=actor
    )


@transaction.atomic
def perangkat_cabut_semua(*, actor: User, user: User) -> int:
    """Every device of `user` ends. The user themself ("Keluar dari semua perangkat") keeps the
    devices' unsent data (they log in again); an admin revokes on purpose, so the data is wiped."""
    if user.pk == actor.pk:
        alasan = AlasanCabut.SEMUA
    else:
        _check_admin(actor)
        alasan = AlasanCabut.DICABUT
    return cabut_perangkat(queryset=user.perangkat.all(), alasan=alasan, pelaku=actor)
