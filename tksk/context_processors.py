from django.conf import settings

from tksk.kapabilitas import Kapabilitas


def app(request):
    return {
        "instansi": settings.TKSK_INSTANSI,
        "debug": settings.DEBUG,
        "jeda_awal_offline": settings.OFFLINE_JEDA_AWAL_MS,
        # What the role may do, for buttons and links: {% if kapabilitas.pendataan.ubah %}.
        "kapabilitas": Kapabilitas(getattr(request, "user", None)),
    }
