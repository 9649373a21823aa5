"""A reader's first search, measured in Chromium: bytes transferred, seconds to results."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import click


def find_chromium() -> str | None:
    """The Chromium to measure searches in (None: none installed)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def first_search(site_dir: Path, query: str) -> dict[str, Any]:
    """Serve the built site, open its home page in Chromium and type ``query`` into the
    search box: the bytes the search transferred (every response after the page loaded, as
    Playwright sees them), the seconds from the last key to the results on screen, and the
    results' addresses (relative to the site)."""
    import functools
    import http.server
    import threading
    from urllib.parse import urljoin

    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    if chromium is None:
        raise click.ClickException("no Chromium found to measure the search in")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    sizes: list[int] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=[
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic"])
            page = browser.new_page()
            page.route(lambda u: not u.startswith(url), lambda route: route.abort())
            page.goto(url, wait_until="networkidle")

            def count(request: Any) -> None:
                body = request.sizes()
                sizes.append(int(body["responseBodySize"]) + int(body["responseHeadersSize"]))

            page.on("requestfinished", count)
            box = page.locator("input.hs-search__input")
            box.click()
            box.press_sequentially(query[:-1], delay=30)
            start = time.perf_counter()
            box.press(query[-1])
            page.wait_for_function(
                "q => document.querySelector('[data-hs-search]').dataset.hsQuery === q",
                arg=query, timeout=60000)
            seconds = time.perf_counter() - start
            page.wait_for_load_state("networkidle")
            links = page.locator(".hs-search__list > li a")
            hrefs = [urljoin(url, links.nth(i).get_attribute("href") or "").removeprefix(url)
                     for i in range(links.count())]
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"query": query, "bytes": sum(sizes), "requests": len(sizes), "seconds": seconds,
            "results": hrefs}


def first_search_bytes(site_dir: Path, query: str) -> int:
    """The bytes a reader's first search for ``query`` downloads from the built site."""
    return int(first_search(site_dir, query)["bytes"])
