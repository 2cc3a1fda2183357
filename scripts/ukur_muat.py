#!/usr/bin/env python3
"""Measure page weight and first paint on a slow phone network with Chromium's throttling.

Logs in once, then for each page: an empty-cache first load and a repeat load under the slow-3G
profile (400 ms latency, 50 KB/s down, 25 KB/s up, as a cheap phone meets it), printing bytes
transferred (headers included, as the wire carries them), requests and first contentful paint.
Usage: scripts/ukur_muat.py --url http://127.0.0.1:8000 [--user tksk.pahandut] [PATH ...]
Needs a running server (`make run`) and Chromium; the figures go into docs/PERFORMANCE.md.
"""

import argparse
import json
import os
import sys

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PROFIL = {"latency": 400, "downloadThroughput": 50 * 1024, "uploadThroughput": 25 * 1024}
HALAMAN = ["/", "/pendataan/", "/pendataan/keluarga/", "/pendataan/keluarga/baru/", "/koordinasi/"]


def _muat(page, cdp, url: str) -> dict:
    catatan = {"bytes": 0, "requests": 0, "dari_cache": 0}
    cache: set[str] = set()

    def dari_cache(event):
        cache.add(event["requestId"])

    def diterima(event):
        r = event["response"]
        if r.get("fromDiskCache") or r.get("fromPrefetchCache"):
            cache.add(event["requestId"])

    def selesai(event):
        # Only what crossed the network counts; a file from the browser's cache costs nothing.
        if event["requestId"] in cache:
            catatan["dari_cache"] += 1
            return
        catatan["bytes"] += event.get("encodedDataLength", 0)
        catatan["requests"] += 1

    handlers = {
        "Network.requestServedFromCache": dari_cache,
        "Network.responseReceived": diterima,
        "Network.loadingFinished": selesai,
    }
    for name, fn in handlers.items():
        cdp.on(name, fn)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    for name, fn in handlers.items():
        cdp.remove_listener(name, fn)
    fcp = page.evaluate(
        "(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"
    )
    catatan["first_paint_ms"] = round(fcp) if fcp else None
    return catatan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="tksk.pahandut")
    parser.add_argument("--password", default="Demo-Kalteng-2026")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("paths", nargs="*", default=HALAMAN)
    args = parser.parse_args()
    hasil = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
        page = context.new_page()
        page.goto(args.url + "/accounts/login/")
        page.fill("#id_username", args.user)
        page.fill("#id_password", args.password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        if "/privasi/" in page.url:
            page.click("text=Saya mengerti")
            page.wait_for_load_state("networkidle")
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        for path in args.paths:
            cdp.send("Network.clearBrowserCache")
            cdp.send("Network.emulateNetworkConditions", {"offline": False, **PROFIL})
            pertama = _muat(page, cdp, args.url + path)
            ulang = _muat(page, cdp, args.url + path)
            cdp.send(
                "Network.emulateNetworkConditions",
                {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
            )
            hasil.append({"path": path, "pertama": pertama, "ulang": ulang})
        browser.close()
    if args.json:
        print(json.dumps(hasil, indent=2))
        return 0
    print(
        f"{'halaman':28} {'pertama KB':>10} {'req':>4} {'FCP ms':>7} {'ulang KB':>9} {'req':>4} "
        f"{'cache':>5}"
    )
    for h in hasil:
        a, b = h["pertama"], h["ulang"]
        print(
            f"{h['path']:28} {a['bytes'] / 1024:10.1f} {a['requests']:4d} "
            f"{a['first_paint_ms'] or 0:7d} {b['bytes'] / 1024:9.1f} {b['requests']:4d} "
            f"{b['dari_cache']:5d}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
