import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tksk import services
from tksk.models import Role, User, Wilayah


class Command(BaseCommand):
    help = (
        "Buat akun dengan peran dan wilayah tugas. Kata sandi dibaca dari stdin bila stdin bukan "
        "terminal, atau ditanyakan."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--wilayah", help="kode wilayah Kemendagri, mis. 62.71.01")
        parser.add_argument("--nama", default="", help="nama lengkap")

    def handle(self, *args, username, role, wilayah, nama, **options):
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"Nama pengguna {username!r} sudah dipakai.")
        area = None
        if wilayah:
            area = Wilayah.objects.filter(kode=wilayah).first()
            if area is None:
                raise CommandError(
                    f"Wilayah {wilayah!r} tidak dikenal. Jalankan `manage.py load_wilayah` dulu?"
                )
        elif role != Role.ADMIN:
            raise CommandError(f"Peran {role} memerlukan --wilayah.")
        password = self._read_password()
        first, _, last = nama.partition(" ")
        try:
            user = services.akun_buat(
                actor=None,
                username=username,
                password=password,
                role=role,
                wilayah=area,
                first_name=first,
                last_name=last,
            )
        except ValidationError as error:
            messages = (
                [m for ms in error.message_dict.values() for m in ms]
                if hasattr(error, "message_dict")
                else error.messages
            )
            raise CommandError(" ".join(messages)) from None
        self.stdout.write(f"Akun {user.username} dibuat: {user.jabatan}.")

    def _read_password(self) -> str:
        if not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("Kata sandi kosong di stdin.")
            return password
        first = getpass.getpass("Kata sandi: ")
        second = getpass.getpass("Ulangi kata sandi: ")
        if first != second:
            raise CommandError("Kedua kata sandi tidak sama.")
        return first
