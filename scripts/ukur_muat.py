#!/usr/bin/env python3
"""Measure page weight and first paint on a slow phone network with Chromium's throttling.

Logs in once, then for each page: an empty-cache first load and a repeat load under the slow-3G
profile (400 ms latency, 50 KB/s down, 25 KB/s up, as a cheap phone meets it), printing bytes
transferred (headers included, as the wire carries them), requests and first contentful paint.
Usage: scripts/ukur_muat.py --url http://127.0.0.1:8000 [--user tksk.pahandut] [PATH ...]
Needs a running server (`make run`) and Chromium; the figures go into docs/PERFORMANCE.md.

With --lighthouse it runs Lighthouse (mobile preset: simulated slow 4G, 4x CPU slowdown) instead,
logged in through the session cookie, on the five main TKSK pages and the province dashboard
(or on the PATHs given, as --user), and prints the performance and accessibility scores.
Lighthouse is a development tool only: `scripts/vendor.sh --lighthouse` installs the pinned
version under tools/lighthouse/ (git ignores its node_modules).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

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
# Lighthouse's default pages: the TKSK's five and the province dashboard, each as its own user.
LIGHTHOUSE_HALAMAN = [("tksk.pahandut", p) for p in HALAMAN] + [("dinsos.prov", "/laporan/")]
LIGHTHOUSE = (
    Path(__file__).resolve().parent.parent / "tools/lighthouse/node_modules/.bin/lighthouse"
)


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


def _masuk(context, url: str, user: str, password: str):
    page = context.new_page()
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", user)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    if "/privasi/" in page.url:
        page.click("text=Saya mengerti")
        page.wait_for_load_state("networkidle")
    return page


def _cookie_sesi(browser, url: str, user: str, password: str) -> str:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    _masuk(context, url, user, password)
    cookies = context.cookies()
    context.close()
    return "; ".join(f"{c['name']}={c['value']}" for c in cookies if c["name"] == "sessionid")


def _lighthouse(url: str, cookie: str) -> dict:
    """One Lighthouse run (mobile, its default), the scores and what cost points."""
    with tempfile.TemporaryDirectory() as tmp:
        keluaran = Path(tmp) / "lh.json"
        perintah = [
            str(LIGHTHOUSE),
            url,
            "--only-categories=performance,accessibility",
            "--output=json",
            f"--output-path={keluaran}",
            "--chrome-flags=--headless --no-sandbox --disable-gpu",
            "--extra-headers=" + json.dumps({"Cookie": cookie}),
            "--quiet",
        ]
        # Lighthouse sometimes loses the trace on a busy machine (NO_NAVSTART) and says to run
        # it again: one more try.
        for percobaan in (1, 2):
            proses = subprocess.run(perintah, env={**os.environ, "CHROME_PATH": CHROMIUM})
            if proses.returncode == 0:
                break
            if percobaan == 2:
                proses.check_returncode()
        lhr = json.loads(keluaran.read_text())
    kategori = lhr["categories"]
    audits = lhr["audits"]
    gagal = [
        ref["id"]
        for cat in kategori.values()
        for ref in cat["auditRefs"]
        if ref["weight"] > 0
        and (audits[ref["id"]].get("score") or 0) < 1
        and audits[ref["id"]].get("scoreDisplayMode") in ("binary", "numeric")
    ]
    angka = {
        k: round(audits[k]["numericValue"])
        for k in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time")
    }
    return {
        "final_url": lhr.get("finalDisplayedUrl") or lhr.get("finalUrl"),
        "performance": round(kategori["performance"]["score"] * 100),
        "accessibility": round(kategori["accessibility"]["score"] * 100),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "dom": audits.get("dom-size", {}).get("numericValue"),
        **angka,
        "kurang": gagal,
    }


def main_lighthouse(args) -> int:
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: run scripts/vendor.sh --lighthouse", file=sys.stderr)
        return 2
    halaman = [(args.user, p) for p in args.paths] if args.paths else LIGHTHOUSE_HALAMAN
    hasil, cookies = [], {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for user in dict.fromkeys(u for u, _ in halaman):
            cookies[user] = _cookie_sesi(browser, args.url, user, args.password)
        browser.close()
    for user, path in halaman:
        # Lighthouse's advice for a noisy machine: several runs, the median one counts.
        runs = sorted(
            (_lighthouse(args.url + path, cookies[user]) for _ in range(args.runs)),
            key=lambda h: h["performance"],
        )
        h = runs[len(runs) // 2]
        if h["final_url"] and "/accounts/login/" in h["final_url"]:
            print(f"{path}: redirected to the login page (cookie refused)", file=sys.stderr)
            return 1
        hasil.append({"user": user, "path": path, **h, "semua": [r["performance"] for r in runs]})
    if args.json:
        print(json.dumps(hasil, indent=2))
        return 0
    print(
        f"{'pengguna':14} {'halaman':28} {'perf':>4} {'a11y':>4} {'FCP':>6} {'LCP':>6} {'TBT':>4} "
        f"{'CLS':>5} {'DOM':>5}  runs  kurang"
    )
    for h in hasil:
        print(
            f"{h['user']:14} {h['path']:28} {h['performance']:4d} {h['accessibility']:4d} "
            f"{h['first-contentful-paint']:6d} {h['largest-contentful-paint']:6d} "
            f"{h['total-blocking-time']:4d} {h['cls']:5.3f} {h['dom'] or 0:5.0f}  "
            f"{','.join(map(str, h['semua']))}  {' '.join(h['kurang'])}"
        )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="tksk.pahandut")
    parser.add_argument("--password", default="Demo-Kalteng-2026")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--lighthouse", action="store_true", help="Lighthouse scores instead of the 3G figures"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="Lighthouse runs per page, the median counts"
    )
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    if args.lighthouse:
        return main_lighthouse(args)
    args.paths = args.paths or HALAMAN
    hasil = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        # No service worker: once the offline layer registers one, it fetches the pages' files
        # itself and DevTools sees 0 bytes on the page (a first visit has no worker yet).
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, locale="id-ID", service_workers="block"
        )
        page = _masuk(context, args.url, args.user, args.password)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        for path in args.paths:
            cdp.send("Network.clearBrowserCache")
            # An empty cache is a first visit: the cookie that says "styles cached" goes too
            # (tksk/gaya.py), so the page inlines its styles as it does for a new browser.
            context.clear_cookies(name="gaya")
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
