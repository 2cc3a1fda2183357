"""Django admin for the TKSK registry, scoped by the same rule as every other door. Read-only:
profiles, SKs, assignments, proposals and training are written through the app's pages
(services: checks, assignment history, audit). The NIK is shown masked only."""

from django.contrib import admin

from koordinasi.admin import ScopedReadOnlyAdmin
from tenaga.models import (
    SKTKSK,
    AksesVerifikasi,
    Bimtek,
    Kehadiran,
    MateriBimtek,
    Penugasan,
    PesertaBimtek,
    ProfilTKSK,
    UsulanPerubahan,
)


class SKInline(admin.TabularInline):
    model = SKTKSK
    fields = ["nomor", "tanggal", "penerbit", "mulai", "selesai"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PenugasanInline(SKInline):
    model = Penugasan
    fields = ["kecamatan", "mulai", "selesai"]
    readonly_fields = fields


@admin.register(ProfilTKSK)
class ProfilTKSKAdmin(ScopedReadOnlyAdmin):
    list_display = ["nama", "kecamatan", "status", "akun", "nik_samar"]
    list_filter = ["status", "asal"]
    search_fields = ["nama"]
    exclude = ["nik"]
    readonly_fields = ["nik_samar"]
    list_select_related = ["kecamatan", "akun"]
    inlines = [SKInline, PenugasanInline]

    @admin.display(description="NIK")
    def nik_samar(self, obj):
        return obj.nik_samar


@admin.register(SKTKSK)
class SKTKSKAdmin(ScopedReadOnlyAdmin):
    list_display = ["nomor", "profil", "mulai", "selesai"]
    search_fields = ["nomor", "profil__nama"]
    list_select_related = ["profil"]


@admin.register(Penugasan)
class PenugasanAdmin(ScopedReadOnlyAdmin):
    list_display = ["profil", "kecamatan", "mulai", "selesai"]
    list_select_related = ["profil", "kecamatan"]


@admin.register(UsulanPerubahan)
class UsulanPerubahanAdmin(ScopedReadOnlyAdmin):
    list_display = ["profil", "status", "diusulkan_oleh", "diusulkan_pada"]
    list_filter = ["status"]
    list_select_related = ["profil", "diusulkan_oleh"]


@admin.register(Bimtek)
class BimtekAdmin(ScopedReadOnlyAdmin):
    list_display = ["judul", "penyelenggara", "mulai", "selesai", "jam_pelajaran"]
    search_fields = ["judul"]
    date_hierarchy = "mulai"


@admin.register(MateriBimtek)
class MateriBimtekAdmin(ScopedReadOnlyAdmin):
    list_display = ["nama", "bimtek", "jenis", "ukuran", "diunggah_pada"]
    exclude = ["berkas"]  # downloaded through the app's page, which checks the scope


@admin.register(PesertaBimtek)
class PesertaBimtekAdmin(ScopedReadOnlyAdmin):
    list_display = ["profil", "bimtek", "nomor_sertifikat", "nilai_pre", "nilai_post"]
    search_fields = ["nomor_sertifikat", "profil__nama"]
    exclude = ["token"]  # the public verification link: never shown outside the certificate
    list_select_related = ["profil", "bimtek"]


@admin.register(Kehadiran)
class KehadiranAdmin(ScopedReadOnlyAdmin):
    list_display = ["peserta", "tanggal", "hadir"]
    list_select_related = ["peserta__profil", "peserta__bimtek"]


@admin.register(AksesVerifikasi)
class AksesVerifikasiAdmin(admin.ModelAdmin):
    """The public check's rate-limit log (time and address only)."""

    list_display = ["waktu", "alamat_ip"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
