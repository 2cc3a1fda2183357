"""Core views: home, health check, areas, account management, privacy notice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tksk import panels, services
from tksk.forms import AkunForm
from tksk.kapabilitas import perlu
from tksk.models import Role, User, Wilayah
from tksk.scoping import get_scoped_or_404


@login_not_required
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def home(request):
    user = request.user
    if user.privasi_disetujui is None:
        return redirect("tksk:privasi")
    context = {"area": user.wilayah, "panels": panels.render_panels(request)}
    return render(request, "tksk/home.html", context)


@login_not_required
def privasi(request):
    """Privacy notice (UU 27/2022): public, shown at first login and linked in every footer."""
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and request.user.privasi_disetujui is None
    ):
        User.objects.filter(pk=request.user.pk).update(privasi_disetujui=timezone.now())
        return redirect("home")
    return render(request, "tksk/privasi.html")


def profil(request):
    return render(request, "tksk/profil.html")


def wilayah_detail(request, kode=None):
    """The user's own area (or a sub-area) with its children: the map of one's scope."""
    if kode is None:
        if request.user.wilayah_id is None and request.user.role != Role.ADMIN:
            return render(request, "tksk/wilayah_detail.html", {"wilayah": None, "anak": []})
        kode = request.user.wilayah.kode if request.user.wilayah_id else "62"
    wilayah = get_scoped_or_404(
        Wilayah.objects.select_related("induk", "kabupaten"), request.user, kode=kode
    )
    if (
        wilayah.induk_id
        and not Wilayah.objects.for_user(request.user).filter(pk=wilayah.induk_id).exists()
    ):
        # The breadcrumb links the parent only when the user may open it (else it is a 404).
        wilayah.induk = None
    anak = Wilayah.objects.for_user(request.user).filter(induk=wilayah).order_by("kode")
    return render(request, "tksk/wilayah_detail.html", {"wilayah": wilayah, "anak": anak})


def wilayah_pilihan(request):
    """<option>s for the children of one area, for the area cascade. Outside scope: 404."""
    induk = get_scoped_or_404(Wilayah.objects, request.user, pk=request.GET.get("induk", ""))
    anak = Wilayah.objects.for_user(request.user).filter(induk=induk).order_by("kode")
    return render(request, "tksk/partials/wilayah_options.html", {"anak": anak})


@perlu("akun.kelola")
def akun_list(request):
    q = request.GET.get("q", "").strip()
    users = User.objects.for_user(request.user).select_related("wilayah").order_by("username")
    if q:
        users = users.filter(username__icontains=q) | users.filter(first_name__icontains=q)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "tksk/akun_list.html", {"page": page, "q": q})


def _akun_form_view(request, instance=None):
    initial = None
    if instance is not None:
        # Also on POST: disabled fields (username; one's own role and area) are not submitted
        # by the browser and take their value from here.
        initial = {
            "username": instance.username,
            "first_name": instance.first_name,
            "last_name": instance.last_name,
            "email": instance.email,
            "role": instance.role,
            "wilayah": instance.wilayah_id,
        }
    form = AkunForm(request.POST or None, user=request.user, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if instance is None:
                services.akun_buat(
                    actor=request.user,
                    username=data["username"],
                    password=data["password1"],
                    role=data["role"],
                    wilayah=data["wilayah"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                )
                messages.success(request, f"Akun {data['username']} dibuat.")
            else:
                services.akun_ubah(
                    actor=request.user,
                    user=instance,
                    role=data["role"],
                    wilayah=data["wilayah"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                )
                messages.success(request, f"Akun {instance.username} diperbarui.")
            return redirect("tksk:akun-list")
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    perangkat = instance.perangkat.aktif() if instance is not None else []
    return render(
        request,
        "tksk/akun_form.html",
        {"form": form, "instance": instance, "perangkat": perangkat},
    )


@perlu("akun.kelola")
def akun_create(request):
    return _akun_form_view(request)


@perlu("akun.kelola")
def akun_update(request, uuid):
    instance = get_scoped_or_404(User.objects.select_related("wilayah"), request.user, uuid=uuid)
    return _akun_form_view(request, instance)


@require_POST
@perlu("akun.kelola")
def akun_set_aktif(request, uuid):
    instance = get_scoped_or_404(User.objects, request.user, uuid=uuid)
    aktif = request.POST.get("aktif") == "1"
    services.akun_set_aktif(actor=request.user, user=instance, aktif=aktif)
    messages.success(
        request,
        f"Akun {instance.username} "
        + ("diaktifkan." if aktif else "dinonaktifkan; sesinya berakhir."),
    )
    return redirect("tksk:akun-list")


@login_not_required
def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")
