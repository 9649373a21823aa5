"""What a reader downloads, measured in Chromium: a first search (bytes, seconds to results)
and opening a page on a phone (bytes, seconds to load)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click


def find_chromium() -> str | None:
    """The Chromium to measure searches in (None: none installed)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@contextmanager
def _served(site_dir: Path) -> Iterator[str]:
    """The built site on a local HTTP server for as long as the block runs: its address."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def _browser(url: str) -> Iterator[Any]:
    """A headless Chromium that may only reach ``url``."""
    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    if chromium is None:
        raise click.ClickException("no Chromium found to measure the site in")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic"])
        try:
            yield browser
        finally:
            browser.close()


def _counter(sizes: list[int]) -> Callable[[Any], None]:
    def count(request: Any) -> None:
        body = request.sizes()
        sizes.append(int(body["responseBodySize"]) + int(body["responseHeadersSize"]))
    return count


def first_search(site_dir: Path, query: str) -> dict[str, Any]:
    """Serve the built site, open its home page in Chromium and type ``query`` into the
    search box: the bytes the search transferred (every response after the page loaded, as
    Playwright sees them), the seconds from the last key to the results on screen, and the
    results' addresses (relative to the site)."""
    from urllib.parse import urljoin

    sizes: list[int] = []
    with _served(site_dir) as url, _browser(url) as browser:
        page = browser.new_page()
        page.route(lambda u: not u.startswith(url), lambda route: route.abort())
        page.goto(url, wait_until="networkidle")
        page.on("requestfinished", _counter(sizes))
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
        # The pages found (a result may lead to the section of its page that says the words).
        hrefs = [urljoin(url, links.nth(i).get_attribute("href") or "").removeprefix(url)
                 .split("#")[0] for i in range(links.count())]
    return {"query": query, "bytes": sum(sizes), "requests": len(sizes), "seconds": seconds,
            "results": hrefs}


def first_search_bytes(site_dir: Path, query: str) -> int:
    """The bytes a reader's first search for ``query`` downloads from the built site."""
    return int(first_search(site_dir, query)["bytes"])


def page_open(site_dir: Path, address: str) -> dict[str, Any]:
    """Open ``address`` (relative to the site) on a phone-sized screen (390 × 844 px) with an
    empty cache, as a reader following a link does: every byte transferred until the network
    is idle (the page, the theme's assets, the images in view), and the seconds it took."""
    sizes: list[int] = []
    with _served(site_dir) as url, _browser(url) as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.route(lambda u: not u.startswith(url), lambda route: route.abort())
        page.on("requestfinished", _counter(sizes))
        start = time.perf_counter()
        page.goto(url + address, wait_until="networkidle")
        seconds = time.perf_counter() - start
    return {"address": address, "bytes": sum(sizes), "requests": len(sizes),
            "seconds": seconds}
