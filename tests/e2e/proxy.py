"""A toggleable loopback TCP proxy in front of the live server.

Playwright's offline switch does not reach the service worker; pointing the browser at this proxy
and cutting it makes the network really go away for the page and the worker alike: while cut,
every connection (open ones included) is reset.
"""

import contextlib
import socket
import threading
from urllib.parse import urlsplit


class Proxy:
    def __init__(self, upstream_url: str):
        parts = urlsplit(upstream_url)
        self.upstream = (parts.hostname, parts.port)
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(128)
        self.port = self.server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.nyala = True
        self.koneksi: set[socket.socket] = set()
        self.kunci = threading.Lock()
        self.berhenti = False
        threading.Thread(target=self._terima, daemon=True).start()

    def putus(self):
        """No network: reset every open connection and every new one."""
        self.nyala = False
        with self.kunci:
            for s in list(self.koneksi):
                self._tutup(s)
            self.koneksi.clear()

    def sambung(self):
        self.nyala = True

    def tutup(self):
        self.berhenti = True
        self.putus()
        self.server.close()

    @staticmethod
    def _tutup(s):
        with contextlib.suppress(OSError):
            # SO_LINGER 0: a reset, as a dropped mobile link looks to the browser.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        with contextlib.suppress(OSError):
            s.close()

    def _terima(self):
        while not self.berhenti:
            try:
                klien, _ = self.server.accept()
            except OSError:
                return
            if not self.nyala:
                self._tutup(klien)
                continue
            try:
                hulu = socket.create_connection(self.upstream, timeout=10)
                hulu.settimeout(None)
            except OSError:
                self._tutup(klien)
                continue
            with self.kunci:
                self.koneksi.update({klien, hulu})
            for a, b in ((klien, hulu), (hulu, klien)):
                threading.Thread(target=self._salur, args=(a, b), daemon=True).start()

    def _salur(self, dari, ke):
        try:
            while True:
                data = dari.recv(65536)
                if not data or not self.nyala:
                    break
                ke.sendall(data)
        except OSError:
            pass
        finally:
            with self.kunci:
                self.koneksi.discard(dari)
                self.koneksi.discard(ke)
            for s in (dari, ke):
                if self.nyala:
                    with contextlib.suppress(OSError):
                        s.shutdown(socket.SHUT_RDWR)
                    with contextlib.suppress(OSError):
                        s.close()
                else:
                    self._tutup(s)
