"""Opening the encrypted outbox file an offline device exports (WebCrypto on the phone):

    {"format": "tksk-outbox", "versi": 1, "kdf": "PBKDF2-SHA256", "iterasi": 310000,
     "garam": base64(16 bytes), "iv": base64(12 bytes),
     "data": base64(AES-256-GCM(UTF-8 JSON {"operasi": [...], "dibuat": ..., "pengguna": ...}))}

The GCM tag (last 16 bytes of `data`, as WebCrypto appends it) makes a wrong passphrase and a
tampered file fail alike.
"""

import base64
import binascii
import json

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

UKURAN_MAKS = 10 * 1024 * 1024
# Bounds on the work a file may ask for: enough for any real export, not a way to burn the CPU.
ITERASI_MIN, ITERASI_MAKS = 100_000, 2_000_000


class BerkasTidakSah(ValueError):
    pass


def kunci(kata_sandi: str, garam: bytes, iterasi: int) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=garam, iterations=iterasi)
    return kdf.derive(kata_sandi.encode("utf-8"))


def buka(isi: bytes, kata_sandi: str) -> dict:
    """The decrypted payload; BerkasTidakSah (Indonesian message) for anything else."""
    if len(isi) > UKURAN_MAKS:
        raise BerkasTidakSah("Berkas terlalu besar.")
    try:
        amplop = json.loads(isi.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BerkasTidakSah("Berkas ini bukan berkas ekspor data perangkat.") from None
    if not isinstance(amplop, dict) or amplop.get("format") != "tksk-outbox":
        raise BerkasTidakSah("Berkas ini bukan berkas ekspor data perangkat.")
    if amplop.get("versi") != 1 or amplop.get("kdf") != "PBKDF2-SHA256":
        raise BerkasTidakSah("Versi berkas ekspor ini belum dikenal.")
    iterasi = amplop.get("iterasi")
    if not isinstance(iterasi, int) or not ITERASI_MIN <= iterasi <= ITERASI_MAKS:
        raise BerkasTidakSah("Berkas ekspor rusak.")
    try:
        garam = base64.b64decode(amplop["garam"], validate=True)
        iv = base64.b64decode(amplop["iv"], validate=True)
        sandi = base64.b64decode(amplop["data"], validate=True)
    except (KeyError, TypeError, binascii.Error):
        raise BerkasTidakSah("Berkas ekspor rusak.") from None
    if len(garam) != 16 or len(iv) != 12:
        raise BerkasTidakSah("Berkas ekspor rusak.")
    try:
        polos = AESGCM(kunci(kata_sandi, garam, iterasi)).decrypt(iv, sandi, None)
    except InvalidTag:
        raise BerkasTidakSah("Kata sandi salah, atau berkas telah berubah.") from None
    try:
        muatan = json.loads(polos.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BerkasTidakSah("Isi berkas ekspor rusak.") from None
    if not isinstance(muatan, dict) or not isinstance(muatan.get("operasi"), list):
        raise BerkasTidakSah("Isi berkas ekspor rusak.")
    return muatan
