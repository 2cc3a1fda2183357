"""REST API v1 for pendataan: households with their members (`keluarga`), persons (`individu`,
read only: they are written through their household), PPKS and PSKS.

The API is one more door into the same code: every read starts from `for_user` (another area's
object is a 404, a list never holds it), every write goes through the services the web forms use
(`keluarga_simpan`, `ppks_simpan`, `psks_simpan`, `verifikasi_massal`).

Rules an outside client relies on (described in the OpenAPI schema as well):
* Idempotent creation: the client may send its own `uuid`. Repeating a create with the same uuid
  and the same body answers 200 with the stored record; the same uuid with another body answers
  409 with the stored record. Concurrent identical creates serialise on a lock per uuid, so a
  retry racing its original never duplicates a household.
* Optimistic concurrency: answers carry `versi` and `ETag: W/"<uuid>-<versi>"`. PUT/PATCH need
  `If-Match` (that ETag) or the `versi` field (If-Match wins when both are sent); a stale one
  answers 409 with the current record, none answers 428.
* PUT replaces: household fields left out are emptied, stored members left out of `anggota` are
  removed as mistaken entries (through the service, which refuses it for a person with PPKS
  records). PATCH merges: fields and members left out stay as they are.
* Validation errors: 400 with `{key: [messages]}` in Indonesian; keys are flat dotted paths, the
  same for serializer and service checks: `no_kk`, `anggota` (the member list as a whole),
  `anggota.1.nik` (position in the `anggota` list sent).
* NIK/No KK: full on detail and write answers, masked in lists unless `?nik=lengkap`; every answer
  carrying full numbers is logged (AuditLog aksi `api_lihat_nik`, with the count).

The door rules themselves (pages, errors, versions, idempotent creation) are the core's
(`tksk.api`); this package holds pendataan's resources, one module per entity:
`keluarga` (households and persons), `ppks` (PPKS and PSKS), `verifikasi` (the verification
actions they share) and `cari` (POST searches by number).
"""

from pendataan.api.keluarga import IndividuViewSet, KeluargaViewSet
from pendataan.api.ppks import PPKSViewSet, PSKSViewSet


def register(router):
    router.register("keluarga", KeluargaViewSet, basename="keluarga")
    router.register("individu", IndividuViewSet, basename="individu")
    router.register("ppks", PPKSViewSet, basename="ppks")
    router.register("psks", PSKSViewSet, basename="psks")
