"""The bench's reading figures (`make bench`): each page's weight as Chromium receives it from a
server that compresses text (gzip), and Lighthouse's mobile scores, both over the built HTML."""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import mimetypes
import os
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[3]
LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
LIGHTHOUSE_PAGES = ["chapters/introduction", "chapters/claim-register", "chapters/flow-statistics"]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

COMPRESSED = {".png", ".jpg", ".jpeg", ".gif", ".woff", ".woff2", ".ico", ".pdf", ".zip"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text compressed with gzip (level 6, as nginx and Apache default to) when the
    browser accepts it, as a web host serves the book."""

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or path.suffix in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip_bytes(path)
        self.send_response(200)
        self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)


@functools.lru_cache(maxsize=None)
def _gzip_cached(path: str, mtime: float) -> bytes:
    return gzip.compress(Path(path).read_bytes(), 6, mtime=0)


def gzip_bytes(path: Path) -> bytes:
    return _gzip_cached(str(path), path.stat().st_mtime)


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):  # a browser that moved on
            super().handle_error(request, client_address)


class Server:
    """The built HTML book on a loopback port, compressed as a web host serves it."""

    def __init__(self, folder: Path):
        handler = functools.partial(GzipHandler, directory=str(folder))
        self.httpd = QuietServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def own_figure(url: str) -> bool:
    """A page's own figure (an image of its content), which the page-weight targets leave out."""
    return "/_images/" in urlsplit(url).path


def measure_page(context, url: str) -> tuple[int, int, bool, int]:
    """(bytes transferred before the page's own figures, of which scripts, whether it has a chart,
    render-blocking scripts) for one page, loaded with an empty cache."""
    page = context.new_page()
    client = context.new_cdp_session(page)
    client.send("Network.enable")
    client.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes, urls, types = {}, {}, {}

    def received(event):
        urls[event["requestId"]], types[event["requestId"]] = event["response"]["url"], event["type"]

    client.on("Network.responseReceived", received)
    client.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="networkidle")
    blocking = page.evaluate("""() => [...document.querySelectorAll('head script[src]')]
        .filter((s) => !s.defer && !s.async && s.type !== 'module').length""")
    chart = page.evaluate("() => !!document.querySelector('.vega-chart')")
    page.close()
    total = sum(size for rid, size in sizes.items() if rid in urls and not own_figure(urls[rid]))
    scripts = sum(size for rid, size in sizes.items() if types.get(rid) == "Script")
    return total, scripts, chart, blocking


def page_weights(html: Path) -> list[tuple[str, int, int, bool, int]]:
    """(page, bytes transferred before its own figures, of which scripts, whether it has a chart,
    render-blocking scripts) for every page of the built book, as Chromium loads it (gzip)."""
    from playwright.sync_api import sync_playwright

    pages = sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                   if not any(part.startswith("_") for part in p.relative_to(html).parts))
    rows = []
    with Server(html) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 390, "height": 844})
        for name in pages:
            rows.append((name, *measure_page(context, server.url + name)))
        browser.close()
    return rows


# --- Lighthouse --------------------------------------------------------------------------------


def lighthouse(html: Path, runs: int, work: Path, run) -> list[tuple[str, dict]]:
    """Lighthouse's scores for LIGHTHOUSE_PAGES in each edition (mobile profile, its default): of
    RUNS runs of each page, the one with the median performance score (Lighthouse's advice for a
    machine whose load varies). Reports go to WORK; RUN runs a command as the bench times it."""
    rows = []
    out = work / "lighthouse"
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    with Server(html) as server:
        for prefix in ("", "es/"):
            for name in LIGHTHOUSE_PAGES:
                if not (html / f"{prefix}{name}.html").is_file():
                    continue
                results = []
                for attempt in range(runs):
                    report = out / f"{prefix.strip('/') or 'en'}-{Path(name).name}-{attempt}.json"
                    run(["node", str(LIGHTHOUSE), f"{server.url}{prefix}{name}.html", "--quiet", "--output=json",
                         f"--output-path={report}", "--only-categories=performance,accessibility,best-practices",
                         "--chrome-flags=--headless=new --no-sandbox --disable-gpu"], env=env, label="lighthouse")
                    results.append(lighthouse_scores(json.loads(report.read_text(encoding="utf-8"))))
                results.sort(key=lambda scores: scores["performance"])
                rows.append((prefix + name, {**results[len(results) // 2], "all": [r["performance"] for r in results]}))
    return rows


def lighthouse_scores(result: dict) -> dict:
    scores = {k: round(100 * v["score"]) for k, v in result["categories"].items()}
    audits = result["audits"]
    scores["bytes"] = audits["total-byte-weight"]["numericValue"]
    scores["blocking"] = len(audits["render-blocking-resources"].get("details", {}).get("items", []))
    scores["lcp"] = audits["largest-contentful-paint"]["numericValue"] / 1000
    scores["tbt"] = audits["total-blocking-time"]["numericValue"]
    return scores


# --- the report --------------------------------------------------------------------------------
