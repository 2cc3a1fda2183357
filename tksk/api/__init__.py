"""REST API v1: the core every app's `api.py` builds on.

* `views`, `urls`: token login, devices, the wilayah resource, the router and the schema.
* `galat`: the error format (flat dotted keys, Indonesian messages, 428).
* `versi`: ETag / If-Match and the fingerprint of a create request.
* `throttle`: the rate limit of heavy requests.
* `saring`: the base of the sync filters (`desa`, `updated_since`, `search`, `nik=lengkap`).
* `serializers`, `skema`: shared serializer pieces and the OpenAPI description of a resource.
* `viewsets`: the read (`SumberBaca`) and write (`SumberTulis`) base viewsets.
* `pagination`, `parsers`, `middleware`: pages, the JSON parser, the guards in front of the API.

Nothing here imports an app: the apps import this package.
"""
