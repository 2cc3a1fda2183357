"""Django admin for households, persons and duplicate cases: scoped like every other door, and
read-mostly (writes go through the services, which keep history and counters right)."""

from django.contrib import admin

from pendataan.models import Individu, KasusGanda, Keluarga
from tksk.admin import ScopedAdminMixin
from tksk.privasi import samarkan


class LihatSajaMixin(ScopedAdminMixin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AnggotaInline(admin.TabularInline):
    model = Individu
    fields = ["nama", "nik_samar", "jenis_kelamin", "tanggal_lahir", "hubungan", "status_hidup"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    @admin.display(description="NIK")
    def nik_samar(self, obj):
        return samarkan(obj.nik) or "—"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Keluarga)
class KeluargaAdmin(LihatSajaMixin, admin.ModelAdmin):
    list_display = ["nama_kepala", "no_kk_samar", "desa", "jumlah_anggota", "status", "diubah_pada"]
    list_filter = ["status"]
    list_select_related = ["desa"]
    search_fields = ["nama_kepala", "=uuid"]
    readonly_fields = [f.name for f in Keluarga._meta.fields if f.name not in ("id", "no_kk")] + [
        "no_kk_samar"
    ]
    exclude = ["no_kk"]
    inlines = [AnggotaInline]

    @admin.display(description="No KK")
    def no_kk_samar(self, obj):
        return samarkan(obj.no_kk) or "—"


@admin.register(Individu)
class IndividuAdmin(LihatSajaMixin, admin.ModelAdmin):
    list_display = ["nama", "nik_samar", "jenis_kelamin", "hubungan", "desa", "status_hidup"]
    list_filter = ["jenis_kelamin", "status_hidup"]
    list_select_related = ["desa"]
    search_fields = ["nama", "=uuid"]
    exclude = ["nik"]
    readonly_fields = [f.name for f in Individu._meta.fields if f.name not in ("id", "nik")] + [
        "nik_samar"
    ]

    @admin.display(description="NIK")
    def nik_samar(self, obj):
        return samarkan(obj.nik) or "—"


@admin.register(KasusGanda)
class KasusGandaAdmin(LihatSajaMixin, admin.ModelAdmin):
    list_display = ["__str__", "jenis", "status", "penyelesai", "desa_baru", "dibuat_pada"]
    list_filter = ["jenis", "status"]
    list_select_related = ["penyelesai", "desa_baru"]
    exclude = ["data_baru"]
    readonly_fields = [f.name for f in KasusGanda._meta.fields if f.name not in ("id", "data_baru")]
