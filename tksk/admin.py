"""Django admin, scoped by the same rule as every other door."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from tksk import services
from tksk.models import AuditLog, KategoriPPKS, KategoriPSKS, User, Wilayah
from tksk.perangkat import Perangkat


class ScopedAdminMixin:
    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)


@admin.register(Wilayah)
class WilayahAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["kode", "nama", "tingkat", "aktif"]
    list_filter = ["tingkat", "aktif"]
    search_fields = ["kode", "nama"]
    readonly_fields = ["kode", "tingkat", "induk"]

    def has_add_permission(self, request):
        return False  # loaded from data/ by load_wilayah

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class AkunAdmin(ScopedAdminMixin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "wilayah", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = UserAdmin.fieldsets + (("Tugas", {"fields": ["role", "wilayah"]}),)
    raw_id_fields = ["wilayah"]
    actions = ["cabut_semua_perangkat"]

    @admin.action(description="Cabut semua perangkat akun terpilih")
    def cabut_semua_perangkat(self, request, queryset):
        jumlah = 0
        for user in queryset:
            jumlah += services.perangkat_cabut_semua(actor=request.user, user=user)
        self.message_user(request, f"{jumlah} perangkat dicabut.")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            readonly += [
                "role",
                "wilayah",
                "is_superuser",
                "is_staff",
                "groups",
                "user_permissions",
            ]
        return readonly


@admin.register(KategoriPPKS, KategoriPSKS)
class KategoriAdmin(admin.ModelAdmin):
    list_display = ["kode", "singkatan", "nama", "unit"]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["waktu", "pelaku", "aksi", "objek_label", "alamat_ip"]
    list_filter = ["aksi"]
    search_fields = ["objek_uuid", "pelaku__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Perangkat)
class PerangkatAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Devices are made by logging in on them and only ever revoked here, never edited."""

    list_display = ["nama", "user", "dibuat", "terakhir_dipakai", "alamat_terakhir", "kedaluwarsa"]
    list_filter = ["alasan_cabut"]
    search_fields = ["user__username", "nama"]
    list_select_related = ["user"]
    actions = ["cabut"]

    @admin.action(description="Cabut perangkat terpilih (data di perangkat dihapus)")
    def cabut(self, request, queryset):
        jumlah = 0
        for perangkat in queryset.filter(dicabut__isnull=True):
            services.perangkat_cabut(actor=request.user, perangkat=perangkat)
            jumlah += 1
        self.message_user(request, f"{jumlah} perangkat dicabut.")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
