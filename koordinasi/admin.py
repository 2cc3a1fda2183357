"""Django admin for koordinasi, scoped by the same rule as every other door. Records are
written through the app's pages (services: history, audit, numbering); here they are read-only,
except the letterhead."""

from django.contrib import admin

from koordinasi.models import AksesTautan, Kegiatan, Mitra, Rujukan
from tksk.models import KopSurat


class ScopedReadOnlyAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Mitra)
class MitraAdmin(ScopedReadOnlyAdmin):
    list_display = ["nama", "jenis", "wilayah", "aktif"]
    list_filter = ["jenis", "aktif"]
    search_fields = ["nama"]


@admin.register(Kegiatan)
class KegiatanAdmin(ScopedReadOnlyAdmin):
    list_display = ["tanggal", "jenis", "topik", "desa"]
    list_filter = ["jenis"]
    date_hierarchy = "tanggal"


@admin.register(Rujukan)
class RujukanAdmin(ScopedReadOnlyAdmin):
    list_display = ["nomor", "status", "mitra", "tanggal_kirim"]
    list_filter = ["status"]
    search_fields = ["nomor"]
    exclude = ["token_hash", "token_garam"]


@admin.register(AksesTautan)
class AksesTautanAdmin(ScopedReadOnlyAdmin):
    list_display = ["waktu", "aksi", "rujukan", "alamat_ip"]
    list_filter = ["aksi"]
    exclude = ["token_hash"]


@admin.register(KopSurat)
class KopSuratAdmin(admin.ModelAdmin):
    """Editing happens at koordinasi:kop-update (the logo is checked and re-encoded there)."""

    list_display = ["__str__", "wilayah", "diubah_pada"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
