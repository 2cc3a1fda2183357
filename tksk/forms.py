"""Core forms: scoped choice fields (the cascade of areas) and account management."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from tksk.models import Role, Tingkat, User, Wilayah
from tksk.scoping import sees_everything, user_area

LEVELS = [Tingkat.PROVINSI, Tingkat.KABUPATEN, Tingkat.KECAMATAN, Tingkat.DESA]


class ScopedFormMixin:
    """Narrows every model choice field whose queryset knows `for_user` to the user's area.

    Forms take the acting user as `user=`; nothing outside the user's area can be chosen or
    posted (a crafted id fails validation like a missing one).
    """

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "for_user"):
                field.queryset = queryset.for_user(user)
            if isinstance(field, WilayahCascadeField):
                field.widget.user = user


class WilayahCascadeWidget(forms.Select):
    """A chain of selects from just below the user's area down to the wanted level.

    A TKSK picking a desa sees one select with the desa of their kecamatan; a kabupaten user
    picks kecamatan then desa; a province user kabupaten, kecamatan, desa. The upper selects are
    filled by static/js/app.js from `tksk:wilayah-pilihan` without a page reload.
    """

    template_name = "tksk/widgets/wilayah_cascade.html"
    user = None
    tingkat = Tingkat.DESA

    def get_context(self, name, value, attrs):
        visible = Wilayah.objects.for_user(self.user)
        selected = None
        if value not in (None, ""):
            try:
                selected = (
                    visible.filter(pk=int(str(value)))
                    .select_related("kabupaten", "kecamatan")
                    .first()
                )
            except ValueError:
                selected = None
        base = None if sees_everything(self.user) else user_area(self.user)
        start = LEVELS.index(base.tingkat) + 1 if base else 0
        chain, parent = [], base
        for level in LEVELS[start : LEVELS.index(self.tingkat)]:
            options = visible.filter(tingkat=level)
            if parent is not None:
                options = options.filter(induk=parent)
            elif chain:
                options = options.none()
            current = selected.ancestor(level) if selected else None
            chain.append(
                {
                    "label": Tingkat(level).label,
                    "name": f"{name}__{level}",
                    "id": f"{attrs.get('id', 'id_' + name)}__{level}",
                    "options": list(options.only("id", "nama")),
                    "selected": current.pk if current else None,
                }
            )
            parent = current
        if chain:
            # Only the children of the chosen parent, not every desa of the province.
            final = visible.filter(tingkat=self.tingkat, induk=parent) if parent else []
            self.choices = [("", "---------")] + [(w.pk, w.nama) for w in final]
        final_id = attrs.get("id", "id_" + name)
        for step, following in zip(
            chain, [*chain[1:], {"id": final_id}][: len(chain)], strict=True
        ):
            step["target"] = following["id"]
        context = super().get_context(name, value, attrs)
        context["cascade"] = chain
        return context


class WilayahCascadeField(forms.ModelChoiceField):
    widget = WilayahCascadeWidget

    def __init__(self, *, tingkat=Tingkat.DESA, **kwargs):
        kwargs.setdefault("queryset", Wilayah.objects.filter(tingkat=tingkat))
        super().__init__(**kwargs)
        self.widget.tingkat = tingkat
        self.error_messages["invalid_choice"] = _("Pilih wilayah yang ada di wilayah tugas Anda.")


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi admin Dinas Sosial."),
    }


def _wilayah_choices(user):
    """Assignable areas grouped by kabupaten: the province, kabupaten/kota, and kecamatan."""
    areas = (
        Wilayah.objects.for_user(user)
        .exclude(tingkat=Tingkat.DESA)
        .select_related("kabupaten")
        .order_by("kode")
    )
    choices = [("", "— tanpa wilayah —")]
    groups: dict[str, list] = {}
    for w in areas:
        if w.tingkat == Tingkat.PROVINSI:
            choices.append((w.pk, f"{w.kode} · {w.nama_lengkap}"))
        else:
            group = w.kabupaten.nama if w.kabupaten else w.nama
            label = f"{w.kode} · {w.nama_lengkap}"
            groups.setdefault(group, []).append((w.pk, label))
    choices.extend(groups.items())
    return choices


class AkunForm(forms.Form):
    username = forms.RegexField(
        label=_("Nama pengguna"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Gunakan huruf, angka dan . @ + - _ saja.")},
    )
    first_name = forms.CharField(label=_("Nama depan"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nama belakang"), max_length=150, required=False)
    email = forms.EmailField(label=_("Surel"), required=False)
    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices)
    wilayah = forms.TypedChoiceField(
        label=_("Wilayah tugas"), required=False, coerce=int, empty_value=None
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"), widget=forms.PasswordInput, strip=False
    )

    def __init__(self, *args, user, instance: User | None = None, **kwargs):
        self.user, self.instance = user, instance
        super().__init__(*args, **kwargs)
        self.fields["wilayah"].choices = _wilayah_choices(user)
        if instance is not None:
            del self.fields["password1"], self.fields["password2"]
            self.fields["username"].disabled = True
            if instance.pk == user.pk:
                # One's own role and area are never editable, whatever is posted.
                self.fields["role"].disabled = True
                self.fields["wilayah"].disabled = True

    def clean_username(self):
        username = self.cleaned_data["username"]
        if self.instance is None and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Nama pengguna ini sudah dipakai."))
        return username

    def clean_wilayah(self):
        pk = self.cleaned_data.get("wilayah")
        if pk is None:
            return None
        wilayah = Wilayah.objects.for_user(self.user).filter(pk=pk).first()
        if wilayah is None:
            raise forms.ValidationError(_("Pilih wilayah yang ada di cakupan Anda."))
        return wilayah

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif p1:
            probe = User(
                username=data.get("username", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                email=data.get("email", ""),
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
