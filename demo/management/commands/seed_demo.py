from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.sintetis import buat_data_sintetis
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
            "--households",
            type=int,
            default=0,
            help="isi sampai ada N keluarga (data sintetis); tanpa opsi ini tidak ada data dibuat",
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="benih acak: benih sama, data sama"
        )

    @transaction.atomic
    def handle(self, *args, households, seed, **options):
        if households < 0 or seed < 0:
            raise CommandError("--households dan --seed tidak boleh negatif.")
        if not Wilayah.objects.filter(kode="62").exists():
            self.stderr.write("Wilayah belum dimuat: jalankan `manage.py load_wilayah` dulu.")
            raise SystemExit(1)
        users = ensure_demo_accounts()
        self.stdout.write(
            f"{len(users)} akun demo siap (kata sandi: {settings.TKSK_DEMO_PASSWORD})."
        )
        from tenaga.demo import buat_data_tenaga

        self.stdout.write(f"{buat_data_tenaga()} profil TKSK demo, dengan SK dan satu bimtek.")
        if households:
            log = self.stdout.write if options["verbosity"] >= 2 else None
            hasil = buat_data_sintetis(households, seed=seed, log=log)
            if hasil.keluarga:
                catat(
                    aksi="data_sintetis",
                    data={
                        "seed": seed,
                        "keluarga": hasil.keluarga,
                        "individu": hasil.individu,
                        "ppks": hasil.ppks,
                        "psks": hasil.psks,
                    },
                )
            self.stdout.write(str(hasil))
            from demo.koordinat import koordinat_demo

            self.stdout.write(str(koordinat_demo(seed=seed)))
