from django.conf import settings


def app(request):
    return {"instansi": settings.TKSK_INSTANSI, "debug": settings.DEBUG}
