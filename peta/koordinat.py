"""The optional coordinates of a PSKS or a partner (Mitra): both or neither, and inside
Kalimantan Tengah. One check for the forms and the services (so the API says the same), with
messages for the field the user looks at."""

from decimal import Decimal, InvalidOperation

from peta import bentuk, geometri

PROVINSI = "62"
# The province's extent with a small margin: the quick check, and the whole check when the
# boundaries are not loaded (yet).
LINTANG = (-3.65, 0.9)
BUJUR = (110.6, 116.0)
# The stored coastline is simplified: a harbour or a fishing village may lie just beyond it.
# Map units (1/100 degree, about 1.1 km).
TOLERANSI = 2.0

PESAN_SEPASANG = "Isi lintang dan bujur sekaligus, atau kosongkan keduanya."
PESAN_ANGKA = "Tulis angka desimal, misalnya -2.210000."
PESAN_TERTUKAR = (
    "Lintang dan bujur tampaknya tertukar: di Kalimantan Tengah lintang antara -3,6 dan 0,9, "
    "bujur antara 110,6 dan 116."
)
PESAN_LINTANG = (
    "Lintang di luar Kalimantan Tengah: harus antara -3,6 dan 0,9 (di selatan khatulistiwa "
    "bernilai negatif, misalnya -2.210000)."
)
PESAN_BUJUR = "Bujur di luar Kalimantan Tengah: harus antara 110,6 dan 116, misalnya 113.910000."
PESAN_LUAR = "Titik ini berada di luar Kalimantan Tengah. Periksa lagi lintang dan bujurnya."


def _desimal(v) -> Decimal | None:
    if v is None or v == "":
        return None
    if isinstance(v, float):
        v = repr(v)
    teks = str(v).strip().replace("\u2212", "-")
    if "," in teks and "." not in teks:  # "-2,21": the Indonesian decimal comma
        teks = teks.replace(",", ".")
    d = Decimal(teks)
    if not d.is_finite():
        raise InvalidOperation
    return d.quantize(Decimal("0.000001"))


def periksa(lintang, bujur) -> tuple[Decimal | None, Decimal | None, dict[str, str]]:
    """(latitude, longitude, errors by field). Empty both: no coordinates, no error."""
    galat = {}
    try:
        lat = _desimal(lintang)
    except (InvalidOperation, ValueError):
        lat, galat["latitude"] = None, PESAN_ANGKA
    try:
        lng = _desimal(bujur)
    except (InvalidOperation, ValueError):
        lng, galat["longitude"] = None, PESAN_ANGKA
    if galat:
        return None, None, galat
    if lat is None and lng is None:
        return None, None, {}
    if lat is None or lng is None:
        return None, None, {"latitude" if lat is None else "longitude": PESAN_SEPASANG}
    lat_ok = LINTANG[0] <= lat <= LINTANG[1]
    lng_ok = BUJUR[0] <= lng <= BUJUR[1]
    if not lat_ok and not lng_ok:
        if LINTANG[0] <= lng <= LINTANG[1] and BUJUR[0] <= lat <= BUJUR[1]:
            return None, None, {"latitude": PESAN_TERTUKAR}
        return None, None, {"latitude": PESAN_LINTANG, "longitude": PESAN_BUJUR}
    if not lat_ok:
        return None, None, {"latitude": PESAN_LINTANG}
    if not lng_ok:
        return None, None, {"longitude": PESAN_BUJUR}
    provinsi = bentuk.semua().get(PROVINSI)
    if provinsi is not None and not geometri.berisi(
        provinsi.path, float(lng), float(lat), toleransi=TOLERANSI
    ):
        return None, None, {"latitude": PESAN_LUAR}
    return lat, lng, {}


def medan_lintang():
    """The form field of a latitude (text, so "-2,21" and long GPS readings are accepted)."""
    from django import forms

    return forms.CharField(
        label="Lintang (latitude)",
        required=False,
        max_length=20,
        help_text="Opsional, untuk peta. Angka desimal, misalnya -2.210000.",
        widget=forms.TextInput({"inputmode": "decimal", "autocomplete": "off"}),
    )


def medan_bujur():
    from django import forms

    return forms.CharField(
        label="Bujur (longitude)",
        required=False,
        max_length=20,
        help_text="Misalnya 113.910000. Isi keduanya atau kosongkan keduanya.",
        widget=forms.TextInput({"inputmode": "decimal", "autocomplete": "off"}),
    )


def bersihkan_form(form, data: dict) -> dict:
    """A form's clean(): the errors beside the fields, else the coordinates as decimals."""
    lintang, bujur, galat = periksa(data.get("latitude"), data.get("longitude"))
    for nama, pesan in galat.items():
        form.add_error(nama, pesan)
    if not galat:
        data["latitude"], data["longitude"] = lintang, bujur
    return data
