"""The OpenAPI description shared by every resource: version headers, the error answers, and
`skema_sumber`, the extend_schema_view arguments of one list/detail/create/update resource."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema

from tksk.api.serializers import GalatSerializer, konflik_serializer

ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200, 201, 409],
    description='Versi data: W/"<uuid>-<versi>". Kirim kembali sebagai If-Match saat mengubah.',
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description='ETag yang terakhir Anda terima (W/"<uuid>-<versi>"). Wajib ini atau kolom '
    "`versi`; versi lama → 409 dengan data terkini, tanpa keduanya → 428.",
)
IF_MATCH_OPSIONAL = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Opsional: ETag yang terakhir Anda terima; versi lama → 409.",
)
GALAT_400 = OpenApiResponse(
    {
        "type": "object",
        "description": "Pesan per kolom dalam bahasa Indonesia. Kunci berupa jalur bertitik: "
        "`no_kk`, `anggota` (daftar anggota secara keseluruhan), `anggota.1.nik` (anggota ke-2 "
        "pada daftar yang dikirim), `non_field_errors` atau `detail`.",
        "additionalProperties": {
            "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]
        },
        "example": {"no_kk": ["No KK harus 16 digit angka; yang diisi 15 digit."]},
    },
    description="Isian tidak valid; tidak ada yang disimpan.",
)
GALAT = {
    403: OpenApiResponse(GalatSerializer, description="Peran Anda tidak dapat melakukan ini."),
    404: OpenApiResponse(GalatSerializer, description="Tidak ada di wilayah tugas Anda."),
}
DIBATASI = {
    429: OpenApiResponse(
        GalatSerializer, description="Terlalu banyak permintaan berat; coba lagi nanti."
    )
}


def skema_sumber(nama: str, data, hasil, *, tulis: bool) -> dict:
    """extend_schema_view arguments for one resource: list and detail, and with `tulis` the
    idempotent create and the version-checked update."""
    konflik = konflik_serializer(data)
    skema = {
        "list": extend_schema(
            description=f"Daftar {nama} di wilayah tugas Anda, berurutan (diubah_pada, id).",
            responses={
                200: data,
                400: GALAT_400,
                404: OpenApiResponse(GalatSerializer, description="Nomor halaman tidak ada."),
                **DIBATASI,
            },
        ),
        "retrieve": extend_schema(
            description=f"Satu {nama} menurut uuid-nya; data wilayah lain menjawab 404.",
            parameters=[ETAG] if tulis else [],
            responses={200: data, 404: GALAT[404]},
        ),
    }
    if tulis:
        skema["create"] = extend_schema(
            description=f"Buat {nama}. Mengulang dengan uuid dan isi yang sama menjawab 200 "
            "dengan data yang tersimpan (tidak menggandakan); uuid sama dengan isi berbeda "
            "menjawab 409.",
            parameters=[ETAG],
            responses={
                201: hasil,
                200: OpenApiResponse(data, description="Sudah dibuat sebelumnya (ulangan)."),
                400: GALAT_400,
                403: GALAT[403],
                409: OpenApiResponse(konflik, description="uuid dipakai dengan isi berbeda."),
            },
        )
        for aksi in ("update", "partial_update"):
            skema[aksi] = extend_schema(
                description=(
                    f"Ganti {nama} (PUT: kolom yang tidak dikirim dikosongkan)."
                    if aksi == "update"
                    else f"Ubah sebagian {nama} (PATCH: yang tidak dikirim tetap)."
                ),
                parameters=[IF_MATCH, ETAG],
                responses={
                    200: hasil,
                    400: GALAT_400,
                    **GALAT,
                    409: OpenApiResponse(konflik, description="Versi lama: data terkini."),
                    428: OpenApiResponse(
                        GalatSerializer, description="Tanpa If-Match maupun versi."
                    ),
                },
            )
    return skema
