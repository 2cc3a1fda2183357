from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from tksk.audit import catat
from tksk.models import Role, User, Wilayah

# The demo accounts of the public interface (README). Their password is fixed and deliberately
# exempt from the password policy, so never run this on a production database.
DEMO_ACCOUNTS = [
    ("admin", Role.ADMIN, None, "Admin", "Sistem"),
    ("dinsos.prov", Role.PROVINSI, "62", "Staf", "Dinsos Provinsi"),
    ("dinsos.palangkaraya", Role.KABUPATEN, "62.71", "Staf", "Dinsos Palangkaraya"),
    ("dinsos.kapuas", Role.KABUPATEN, "62.03", "Staf", "Dinsos Kapuas"),
    ("tksk.pahandut", Role.TKSK, "62.71.01", "Rina", "Susanti"),
    ("tksk.jekanraya", Role.TKSK, "62.71.03", "Budi", "Santoso"),
    ("tksk.selat", Role.TKSK, "62.03.01", "Ahmad", "Fauzi"),
]


def ensure_demo_accounts() -> list[User]:
    users = []
    for username, role, kode, first, last in DEMO_ACCOUNTS:
        area = Wilayah.objects.get(kode=kode) if kode else None
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "wilayah": area,
                "first_name": first,
                "last_name": last,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(settings.TKSK_DEMO_PASSWORD)
            user.save()
            catat(aksi="akun_buat", objek=user, data={"demo": True})
        users.append(user)
    return users


class Command(BaseCommand):
    help = "Buat akun demo (dan data sintetis). Aman diulang. Jangan dijalankan di produksi."

    def add_arguments(self, parser):
        parser.add_argument(
            "--households", type=int, default=0, help="jumlah keluarga sintetis yang dibuat"
        )
        parser.add_argument("--seed", type=int, default=2026)

    @transaction.atomic
    def handle(self, *args, households, seed, **options):
        if not Wilayah.objects.filter(kode="62").exists():
            self.stderr.write("Wilayah belum dimuat: jalankan `manage.py load_wilayah` dulu.")
            raise SystemExit(1)
        users = ensure_demo_accounts()
        self.stdout.write(
            f"{len(users)} akun demo siap (kata sandi: {settings.TKSK_DEMO_PASSWORD})."
        )
