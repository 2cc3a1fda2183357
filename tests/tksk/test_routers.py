"""Read routing to a replica (tksk/routers.py): report reads inside `baca_replika()` go to the
replica alias, writes and every read after a write in the same request go to the primary.

The replica alias here is a second connection to the test database (TEST MIRROR). To make a stale
replica visible, the tests hold that connection in a REPEATABLE READ transaction whose snapshot
was taken before the write: it answers like a replica that has not replayed the write yet. So a
wrong routing shows as a wrong value, not only as a query on the wrong connection. A real streaming
replica runs in `scripts/replica_demo.py` (docs/DEPLOYMENT.md).
"""

import copy
import socket

import pytest
from django.core.cache import cache
from django.db import connections, transaction
from django.http import JsonResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django_tasks import TaskResultStatus, task
from django_tasks_db.management.commands.db_worker import Worker

from tests.conftest import make_user
from tksk import routers
from tksk.audit import catat
from tksk.models import User
from tksk.routers import REPLIKA, baca_replika, iter_replika

pytestmark = [
    # The replica alias is another connection: it sees only committed rows.
    pytest.mark.django_db(transaction=True, databases=["default", REPLIKA]),
    pytest.mark.urls("tests.tksk.test_routers"),
]


# --- views as the laporan module uses the router ----------------------------------------------


def _baca(request):
    with baca_replika():
        user = User.objects.get(pk=request.user.pk)
    return JsonResponse({"nama": user.first_name, "db": user._state.db})


def _ubah_lalu_baca(request):
    User.objects.filter(pk=request.user.pk).update(first_name=request.POST["nama"])
    with baca_replika():
        user = User.objects.get(pk=request.user.pk)
    return JsonResponse({"nama": user.first_name, "db": user._state.db})


def _catat_lalu_baca(request):
    catat(aksi="uji_router", pelaku=request.user, request=request)
    return _baca(request)


def _hitung_lalu_baca(request):
    # What a rate limit does on a request: write its counter to the (database) cache.
    cache.set(f"uji-hitungan-{request.user.pk}", 1, 60)
    return _baca(request)


def _baca_di_luar(request):
    user = User.objects.get(pk=request.user.pk)
    return JsonResponse({"nama": user.first_name, "db": user._state.db})


def _baca_dalam_transaksi(request):
    with transaction.atomic(), baca_replika():
        user = User.objects.get(pk=request.user.pk)
    return JsonResponse({"nama": user.first_name, "db": user._state.db})


def _alir(request):
    rows = (f"{u.username},{u._state.db}\n" for u in User.objects.order_by("pk").iterator())
    return StreamingHttpResponse(iter_replika(rows), content_type="text/csv")


urlpatterns = [
    path("baca/", _baca),
    path("ubah/", _ubah_lalu_baca),
    path("catat/", _catat_lalu_baca),
    path("hitung/", _hitung_lalu_baca),
    path("luar/", _baca_di_luar),
    path("transaksi/", _baca_dalam_transaksi),
    path("alir/", _alir),
]


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _alias_replika(django_db_setup, django_db_blocker):
    """The replica alias for this module's tests (it must exist before each test's database
    set-up, which allows exactly the aliases the marker names)."""
    _tambah_replika()
    yield
    with django_db_blocker.unblock():
        _hapus_replika()


def _tambah_replika():
    conf = copy.deepcopy(connections["default"].settings_dict)  # the test database by now
    conf["TEST"] = {**conf["TEST"], "MIRROR": "default"}
    connections.settings[REPLIKA] = conf
    routers.lupakan_cek()
    routers.mulai_baru()


def _hapus_replika():
    connections[REPLIKA].close()
    del connections[REPLIKA]
    del connections.settings[REPLIKA]
    routers.lupakan_cek()
    routers.mulai_baru()


@pytest.fixture
def pengguna(client):
    user = make_user("dinsos.uji", "provinsi", "62", first_name="lama")
    client.force_login(user)
    return user


@pytest.fixture
def replika():
    """The replica alias, frozen: a snapshot taken now, as a replica that lags behind."""
    conn = connections[REPLIKA]
    routers.lupakan_cek()
    routers.mulai_baru()
    conn.set_autocommit(False)
    with conn.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT count(*) FROM tksk_user")  # the snapshot starts here
    yield conn
    conn.rollback()  # before the test's flush, which would wait for this transaction
    conn.set_autocommit(True)


def _susul(conn):
    """The replica replays the primary: a fresh snapshot."""
    conn.rollback()
    with conn.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def _tulis_di_primer(user, nama):
    User.objects.filter(pk=user.pk).update(first_name=nama)
    routers.mulai_baru()  # the test's own write is not the next request's


# --- tests ----------------------------------------------------------------------------------------


def test_report_read_goes_to_the_replica(client, pengguna, replika):
    with CaptureQueriesContext(replika) as di_replika:
        response = client.get("/baca/")
    assert response.json() == {"nama": "lama", "db": "replica"}
    assert any("tksk_user" in q["sql"] for q in di_replika.captured_queries)


def test_read_after_a_write_in_the_same_request_goes_to_the_primary(client, pengguna, replika):
    with (
        CaptureQueriesContext(replika) as di_replika,
        CaptureQueriesContext(connections["default"]) as di_primer,
    ):
        response = client.post("/ubah/", {"nama": "baru"})
    # The replica still holds the old value; the user sees what they just saved.
    assert response.json() == {"nama": "baru", "db": "default"}
    assert di_replika.captured_queries == []
    assert any(q["sql"].startswith("UPDATE") for q in di_primer.captured_queries)

    # The next request starts afresh: its report read goes to the replica again, which shows
    # the old value until it has replayed the write, then the new one.
    assert client.get("/baca/").json() == {"nama": "lama", "db": "replica"}
    _susul(replika)
    assert client.get("/baca/").json() == {"nama": "baru", "db": "replica"}


def test_reads_outside_the_block_go_to_the_primary(client, pengguna, replika):
    _tulis_di_primer(pengguna, "baru")
    with CaptureQueriesContext(replika) as di_replika:
        response = client.get("/luar/")
    assert response.json() == {"nama": "baru", "db": "default"}
    assert di_replika.captured_queries == []


def test_an_audit_row_does_not_pin_the_request_to_the_primary(client, pengguna, replika):
    response = client.post("/catat/")
    assert response.json()["db"] == "replica"


def test_a_rate_limit_counter_does_not_pin_the_request_to_the_primary(client, pengguna, replika):
    response = client.post("/hitung/")
    assert response.json()["db"] == "replica"


def test_reads_inside_a_transaction_stay_on_the_primary(client, pengguna, replika):
    _tulis_di_primer(pengguna, "baru")
    assert client.get("/transaksi/").json() == {"nama": "baru", "db": "default"}


def test_streamed_rows_are_read_from_the_replica(client, pengguna, replika):
    response = client.get("/alir/")
    body = b"".join(response.streaming_content).decode()
    assert body == "dinsos.uji,replica\n"


def test_without_a_replica_everything_reads_the_primary(client, pengguna):
    _hapus_replika()
    try:
        _tulis_di_primer(pengguna, "baru")
        assert client.get("/baca/").json() == {"nama": "baru", "db": "default"}
    finally:
        _tambah_replika()


def test_a_replica_that_does_not_answer_is_skipped(client, pengguna):
    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conf = connections[REPLIKA].settings_dict
    asli = conf["PORT"]
    connections[REPLIKA].close()
    conf["PORT"] = str(port)
    routers.lupakan_cek()
    try:
        assert client.get("/baca/").json() == {"nama": "lama", "db": "default"}
    finally:
        conf["PORT"] = asli
        routers.lupakan_cek()


@task()
def baca_di_tugas(pk: int) -> str:
    """A report job as laporan's export jobs are: it reads inside baca_replika()."""
    with baca_replika():
        return User.objects.get(pk=pk)._state.db


def test_each_worker_job_starts_afresh(pengguna):
    # The worker process has written before (claiming a job, or a previous job's writes): the
    # next job must not inherit that and lose the replica.
    User.objects.filter(pk=pengguna.pk).update(first_name="lagi")
    with baca_replika():
        assert User.objects.get(pk=pengguna.pk)._state.db == "default"
    hasil = baca_di_tugas.enqueue(pengguna.pk)
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="uji-router",
        excluded_queue_names=[],
    )
    worker.run()  # db_worker --batch in this process: runs the job, then returns
    hasil.refresh()
    assert (hasil.status, hasil.return_value) == (TaskResultStatus.SUCCESSFUL, "replica")
