"""Matrix entries for offline sync: the batch endpoint, the reference data, the conflict queue,
change requests and the import page."""

from tests.matrix.base import Open

OPEN = [
    # The batch answers per operation; an empty body is a 400 (tests/sinkron/ check the rest).
    Open("api:sinkron", method="post", expect_any=True),
    Open("api:sinkron-referensi"),
]
SCOPED: list = []
