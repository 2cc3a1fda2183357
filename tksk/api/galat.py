"""The API's error format: 400 with `{key: [messages]}` in Indonesian, keys flat dotted paths
(`anggota.1.nik`), the same for serializer checks and for the services' ValidationError."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.settings import api_settings


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = (
        "Sertakan versi data yang terakhir Anda lihat: header If-Match berisi ETag dari jawaban "
        'sebelumnya (misalnya W/"<uuid>-3") atau kolom `versi`.'
    )
    default_code = "precondition_required"


def ratakan(errors, prefix: str = "") -> dict[str, list[str]]:
    """Nested serializer errors as flat dotted keys: {"anggota": [{}, {"nik": [..]}]} becomes
    {"anggota.1.nik": [..]}; a nested `non_field_errors` belongs to its parent key."""
    flat: dict[str, list[str]] = {}

    def walk(value, key):
        if isinstance(value, dict):
            for name, inner in value.items():
                if name in ("non_field_errors", api_settings.NON_FIELD_ERRORS_KEY) and key:
                    walk(inner, key)
                else:
                    walk(inner, f"{key}.{name}" if key else str(name))
        elif isinstance(value, list) and value and all(isinstance(v, (dict, list)) for v in value):
            for i, inner in enumerate(value):
                walk(inner, f"{key}.{i}")
        elif isinstance(value, list):
            flat.setdefault(key or "non_field_errors", []).extend(str(v) for v in value)
        else:
            flat.setdefault(key or "non_field_errors", []).append(str(value))

    walk(errors, prefix)
    return flat


def pesan_django(error: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ValidationError in the API's format (`__all__` → `non_field_errors`)."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if key == "__all__" else key): messages
            for key, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}
