from django.conf import settings


def app(request):
    return {
        "instansi": settings.TKSK_INSTANSI,
        "debug": settings.DEBUG,
        "jeda_awal_offline": settings.OFFLINE_JEDA_AWAL_MS,
    }
