"""The built site in a real browser: every page loads cleanly, math and figures render, the controls work.

Headless Chromium (the Debian package, driven by Playwright) visits the site served
from the built folder at http://127.0.0.1:8000/, the address the site is built for:
Material's instant navigation only engages there. Without Chromium or Playwright the
tests are skipped, saying how to install them; with ``HANDBOOK_REQUIRE_BROWSER=1``
(set in CI) they fail instead. Screenshots go to ``HANDBOOK_TEST_OUTPUT``, else
``tests/output/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit

import pytest

from hooks.chapters import CHAPTERS
from hooks.pages import ROOT

try:
    from playwright.sync_api import sync_playwright
except ImportError:
    sync_playwright = None

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Response

# HANDBOOK_BROWSER_PORT: a second run side by side (dev.py test) serves on another port;
# instant navigation is then off, and only tests that do not need it are run there.
HOST, PORT = "127.0.0.1", int(os.environ.get("HANDBOOK_BROWSER_PORT", "8000"))
ORIGIN = f"http://{HOST}:{PORT}"
SITE_URL = os.environ.get("HANDBOOK_SITE_URL", "http://127.0.0.1:8000/")
SITE_PATH = urlsplit(SITE_URL).path.rstrip("/") + "/"
ROOT_URL = ORIGIN + SITE_PATH  # where the tests serve the site
# Material's instant navigation only engages when the site is served at its site_url.
INSTANT = SITE_URL.rstrip("/") + "/" == ROOT_URL
LANGUAGES = {"en": "", "zh": "zh/"}  # each language and the folder it lives in
# Without the first ones, Chromium opens connections (updates, sync, field trials) the sandbox
# refuses. The last one makes every host but the local server unknown: a request to another
# host fails at once, and the tests report it (routing every request through Playwright to
# abort those instead would make the sweep a third slower: no HTTP cache, a round trip each).
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {HOST}"]
OUTPUT = Path(os.environ.get("HANDBOOK_TEST_OUTPUT") or ROOT / "tests" / "output")


def unavailable(reason: str) -> NoReturn:
    """Skip the browser tests, or fail them when HANDBOOK_REQUIRE_BROWSER=1 (CI)."""
    if os.environ.get("HANDBOOK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}\n(HANDBOOK_REQUIRE_BROWSER=1: the browser tests may not be skipped)", pytrace=False)
    pytest.skip(reason)


def chromium_executable() -> str | None:
    """Debian's Chromium headless shell (Chromium's renderer without the browser around
    it, a quarter faster a page), else its Chromium."""
    return shutil.which("chromium-headless-shell") or shutil.which("chromium")


def is_local(url: str) -> bool:
    """A request the served site answers (data: and blob: URLs never leave the browser)."""
    return url.startswith((ORIGIN + "/", "data:", "blob:"))


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves the built site under SITE_PATH, without a log line per request."""

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not (path + "/").startswith(SITE_PATH):
            return str(Path(self.directory) / "__outside_the_site__")  # a 404
        return super().translate_path("/" + path[len(SITE_PATH):])

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _SiteServer(ThreadingHTTPServer):
    """A threaded server that says nothing when the browser drops a connection it no longer needs."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if sync_playwright is None:
        unavailable("Playwright is needed for the browser tests: pip install -c requirements.lock -e .[test]")
    executable = chromium_executable()
    if executable is None:
        unavailable("Chromium is needed for the browser tests: "
                    "sudo apt-get install chromium-headless-shell fonts-noto-cjk")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def served(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Path]:
    """The built site (asked for only once the browser is there), served at ROOT_URL."""
    site: Path = request.getfixturevalue("site")
    try:
        server = _SiteServer((HOST, PORT), partial(_SiteHandler, directory=str(site)))
    except OSError as error:
        pytest.fail(f"Cannot serve the site at {ORIGIN}/: port {PORT} is taken ({error}). "
                    "Stop `mkdocs serve` (or whatever else listens there) first.", pytrace=False)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def context(browser: Browser, served: Path) -> Iterator[BrowserContext]:
    """One browser context for every test."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"],
                                  viewport={"width": 1280, "height": 800}, color_scheme="light")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@dataclass
class Tab:
    """A browser page and everything that went wrong on it: console errors, exceptions, bad requests."""

    page: Page
    problems: list[str] = field(default_factory=list)
    pending: set[Request] = field(default_factory=set)
    last_activity: float = field(default_factory=time.monotonic)

    def settle(self, quiet: float = 0.0, timeout: float = 15.0) -> None:
        """Wait for the load event, then until no request is running and none started for `quiet` s."""
        self.page.wait_for_load_state("load")
        deadline = time.monotonic() + timeout
        while self.pending or time.monotonic() - self.last_activity < quiet:
            if time.monotonic() > deadline:
                self.problems.append(f"{self.page.url}: still loading after {timeout:.0f} s: "
                                     + ", ".join(sorted(r.url for r in self.pending)))
                return
            self.page.wait_for_timeout(20)


def watch(page: Page) -> Tab:
    """Record on the returned Tab every console error, uncaught exception and bad request of the page."""
    tab = Tab(page)

    def started(request: Request) -> None:
        tab.pending.add(request)
        tab.last_activity = time.monotonic()
        if not is_local(request.url):
            tab.problems.append(f"{page.url}: request leaving the server: {request.url}")

    def finished(request: Request) -> None:
        tab.pending.discard(request)
        tab.last_activity = time.monotonic()

    def failed(request: Request) -> None:
        finished(request)
        # ERR_ABORTED: still running when the test moved on to the next page (the search
        # worker's later scripts); a missing file shows as a status >= 400 instead.
        if is_local(request.url) and request.failure != "net::ERR_ABORTED":
            tab.problems.append(f"{page.url}: request failed ({request.failure}): {request.url}")

    def responded(response: Response) -> None:
        if response.status >= 400:
            tab.problems.append(f"{page.url}: HTTP {response.status} for {response.url}")

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            tab.problems.append(f"{page.url}: console error: {message.text}" + (f" ({where})" if where else ""))

    page.on("request", started)
    page.on("requestfinished", finished)
    page.on("requestfailed", failed)
    page.on("response", responded)
    page.on("console", console)
    page.on("pageerror", lambda error: tab.problems.append(f"{page.url}: uncaught exception: {error}"))
    return tab


@pytest.fixture
def tab(context: BrowserContext) -> Iterator[Tab]:
    """A fresh page of the shared context, watched for errors."""
    tab = watch(context.new_page())
    yield tab
    tab.page.close()


def built_html(site: Path, url: str) -> str:
    """The built file behind a page's address."""
    return (site / url.removeprefix(ROOT_URL) / "index.html").read_text(encoding="utf-8")


def page_urls(site: Path, language: str) -> list[str]:
    """The address of every page of one language (every index.html; 404.html is not a page)."""
    pages = [p.parent.relative_to(site).as_posix() for p in sorted(site.rglob("index.html"))]
    paths = [("" if p == "." else p + "/") for p in pages]
    if language == "en":
        paths = [p for p in paths if not any(p.startswith(f) for f in LANGUAGES.values() if f)]
    else:
        paths = [p for p in paths if p.startswith(LANGUAGES[language])]
    return [ROOT_URL + p for p in paths]


# Checks each page runs on itself after its load event, once its formulas are typeset (KaTeX
# loads on demand), images in, the figures drawn at build time (inline SVG, the labs' too)
# laid out. The page reports through the console and sets handbookReported, so the
# sweep moves on as soon as the page is done instead of polling it.
REPORT = "handbook-check "
# Code and display math that do not fit their column, so that the reader must scroll sideways
# (a table may scroll: it sits in Material's scroll wrapper; so may what a lab's cell
# printed, whose lines are kept whole, like a terminal's). Code is measured at desktop
# width only: on a phone, 84 characters of code cannot fit and scrolling is expected.
OVERFLOWING = """function overflowing(withCode) {
  const wide = el => el.scrollWidth > el.clientWidth + 1;
  const problems = [];
  for (const math of document.querySelectorAll(".md-content div.arithmatex")) {
    if (math.checkVisibility() && wide(math)) {
      problems.push(`display math ${math.scrollWidth} px wide in a ${math.clientWidth} px `
                    + `column: ${math.textContent.trim().slice(0, 60)}`);
    }
    // an equation number sits at the right of the line, clear of its formula
    for (const tag of math.querySelectorAll(".tag")) {
      const left = tag.getBoundingClientRect().left;
      const covered = [...tag.parentElement.querySelectorAll(":scope > .base")]
        .some(base => base.getBoundingClientRect().right > left + 1);
      if (math.checkVisibility() && covered) {
        problems.push(`equation number ${tag.textContent.trim()} overlaps its formula: `
                      + math.textContent.trim().slice(0, 60));
      }
    }
  }
  if (withCode) {
    for (const code of document.querySelectorAll(".md-content pre > code")) {
      if (code.checkVisibility() && wide(code) && !code.closest(".handbook-output")) {
        const line = [...code.textContent.split("\\n")].sort((a, b) => b.length - a.length)[0];
        problems.push(`code ${code.scrollWidth} px wide in a ${code.clientWidth} px column: `
                      + line.trim().slice(0, 60));
      }
    }
  }
  return problems;
}
"""
SELF_CHECK = OVERFLOWING + """addEventListener("load", () => setTimeout(function check(started) {
  // KaTeX loads on demand (katex-render.js): give the formulas up to 5 s to be typeset
  const pending = [...document.querySelectorAll(".arithmatex")]
    .some(math => !math.querySelector(".katex, .katex-error"));
  if (pending && performance.now() - started < 5000) {
    setTimeout(check, 25, started);
    return;
  }
  const problems = [];
  // a figure further down loads when the reader scrolls near it (its file is checked by
  // tests/test_site.py, its loading by test_figures_drawn_at_build_time_are_shown)
  const lazy = [...document.querySelectorAll('img[loading="lazy"]')].filter(img => !img.complete);
  for (const img of document.images) {
    if (!lazy.includes(img) && (!img.complete || img.naturalWidth === 0)) {
      problems.push(`image does not load: ${img.getAttribute("src").slice(0, 80)}`);
    }
  }
  document.querySelectorAll(".md-content .handbook-output :is(svg, img)").forEach((svg, i) => {
    const box = svg.getBoundingClientRect();
    // a figure inside a closed <details> or an inactive tab is not laid out
    if (svg.checkVisibility() && !(box.width > 0 && box.height > 0)) {
      problems.push(`figure ${i + 1} has an empty box`);
    }
  });
  for (const math of document.querySelectorAll(".arithmatex")) {
    if (!math.querySelector(".katex, .katex-error")) {
      problems.push(`formula not typeset: ${math.textContent.trim().slice(0, 60)}`);
    }
  }
  for (const error of document.querySelectorAll(".katex-error")) {
    problems.push(`KaTeX error: ${error.getAttribute("title") || error.textContent}`);
  }
  problems.push(...overflowing(true));
  // what a cold load of the page weighs as served: the page and everything it loaded
  // (decodedBodySize counts a file taken from the cache as well), once the fonts its
  // text and formulas need are in (layout first: it is what asks for them), so that
  // the weight does not depend on how fast the machine is
  void document.body.offsetHeight;
  // A lazy image loads once it is near the viewport; how near depends on the browser
  // (Chrome loads one 1250 px below the screen on a fast connection, its headless
  // shell one about 2500 px below too): a file only lazy images further than 1250 px
  // below the first screen show is left out of the weight, as a reader's Chrome would
  // leave it for later.
  const far = img => img.loading === "lazy"
    && img.getBoundingClientRect().top + scrollY > innerHeight + 1250;
  const images = [...document.images];
  const later = new Set(images.filter(far).map(img => img.src));
  images.filter(img => !far(img)).forEach(img => later.delete(img.src));
  document.fonts.ready.then(() => {
    const page = performance.getEntriesByType("navigation")[0];
    const files = performance.getEntriesByType("resource").filter(f => !later.has(f.name));
    const weight = {html: page.decodedBodySize,
                    total: page.decodedBodySize + files.reduce((sum, f) => sum + f.decodedBodySize, 0),
                    katex: files.some(f => f.name.includes("/assets/katex/"))};
    console.debug("%REPORT%" + JSON.stringify([location.href, problems, weight]));
    window.handbookReported = true;
  });
}, 0, performance.now()));""".replace("%REPORT%", REPORT)


@dataclass
class Sweep:
    """What one visit of every page of a language found (``sweep``)."""

    problems: list[str] = field(default_factory=list)  # errors, bad requests, checks
    weights: dict[str, dict[str, Any]] = field(default_factory=dict)
    phone: list[str] = field(default_factory=list)  # what does not fit at 390 px
    phone_checked: list[str] = field(default_factory=list)  # the pages seen at 390 px
    figures_measured: int = 0
    # a technique page's Python blocks as the copy buttons give them, and the output shown
    copies: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    # a lab page's code blocks as the copy buttons give them, and how each printed
    # output is shown (LAB_OUTPUTS)
    labs: dict[str, tuple[str, list[dict[str, Any]]]] = field(default_factory=dict)


_SWEEPS: dict[str, Sweep] = {}


def sweep(context: BrowserContext, served: Path, language: str) -> Sweep:
    """Visit every page of ``language`` once, a cold load each, and check there what the
    tests of this module ask of every page (one visit instead of three: each load of a
    long page costs the browser about half a second):

    - at desktop width, once loaded: no console error, exception, failed request or
      other host; images, figures and math shown; what the load weighed (SELF_CHECK);
    - at 390 px, the viewport resized in place (on a page with display math or a
      figure): display math that does not fit the column, and the width each figure
      is shown at (its text must stay legible);
    - on a technique page, what every copy button puts on the clipboard; on a lab page,
      that too, and how the cells' printed outputs are shown.

    The tests that use it assert on what it found; the first to ask runs it.
    """
    if language in _SWEEPS:
        return _SWEEPS[language]
    found = _SWEEPS[language] = Sweep()
    urls = page_urls(served, language)
    assert len(urls) > 10, f"only {len(urls)} {language} pages in the site"
    lab_urls = set(lab_pages(language).values())
    tab = watch(context.new_page())
    # Every load a cold one: without the browser's caches each page fetches, and the
    # performance entries list, everything it needs (a file from the memory cache has
    # no entry, so with caches the weight would depend on the pages visited before).
    cdp = context.new_cdp_session(tab.page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    reports: dict[str, list[str]] = {}

    def report(message: ConsoleMessage) -> None:
        if message.type == "debug" and message.text.startswith(REPORT):
            url, problems, weight = json.loads(message.text[len(REPORT):])
            reports[url], found.weights[url] = problems, weight

    tab.page.on("console", report)
    tab.page.add_init_script(SELF_CHECK)
    desktop = tab.page.viewport_size
    try:
        for number, url in enumerate(urls):
            tab.page.goto(url)
            tab.page.wait_for_function("window.handbookReported === true", timeout=10_000)
            # The first and last pages wait for every request, the search worker's too; on the
            # others, what the worker still loads after the load event (the same files on every
            # page) is cut off by the next page (ERR_ABORTED, not counted).
            if number == 0:
                tab.settle(quiet=0.3)
            if has_phone_checks(built_html(served, url)):
                check_at_phone_width(tab.page, url, served, found)
                tab.page.set_viewport_size(desktop)
            if url.removeprefix(ROOT_URL).removeprefix(LANGUAGES[language]).split("/")[0] in CHAPTERS:
                found.copies[url] = copied_blocks(tab.page, url)
            elif url in lab_urls:
                found.labs[url] = (copied_blocks(tab.page, url)[0], tab.page.evaluate(LAB_OUTPUTS))
        tab.settle(quiet=0.3)
    finally:
        found.problems += tab.problems
        tab.page.close()
    for url in urls:
        if url not in reports:
            found.problems.append(f"{url}: the page did not report its checks at its load event")
        found.problems += [f"{url}: {problem}" for problem in reports.get(url, [])]
    found.problems = list(dict.fromkeys(found.problems))  # a resource asked for twice fails twice
    return found


DISPLAY_MATH = 'div class="arithmatex"'  # in a built page's HTML: a displayed equation


def has_phone_checks(html: str) -> bool:
    """Whether a page has what the sweep checks at 390 px: display math or a figure
    (another page is not resized: a long page's layout again costs the browser)."""
    return DISPLAY_MATH in html or "handbook-figure-image" in html


def check_at_phone_width(page: Page, url: str, served: Path, found: Sweep) -> None:
    """Resize the loaded page to 390 px in place; note in ``found`` the display math
    wider than the column and each figure whose smallest text is shown under
    MIN_TEXT_PX (the caller restores the width)."""
    from hooks.figures import MIN_TEXT_PX, size_of, text_sizes

    page.set_viewport_size(PHONE)
    found.phone_checked.append(url)
    page.evaluate("new Promise(done => requestAnimationFrame(() => done()))")
    found.phone += [f"{url}: {problem}" for problem in
                    page.evaluate(f"({OVERFLOWING.strip()})(false)")]
    for src, width in page.evaluate(FIGURES_SHOWN):
        svg = (served / src.removeprefix(ROOT_URL)).read_text(encoding="utf-8")
        if text_sizes(svg):
            smallest = width / size_of(svg)[0] * min(text_sizes(svg))
            found.figures_measured += 1
            if smallest < MIN_TEXT_PX - 0.05:
                found.phone.append(f"{url}: {src}: text {smallest:.1f} px high, "
                                   f"under {MIN_TEXT_PX:g} px")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_loads_without_errors_or_requests_to_other_hosts(
        context: BrowserContext, served: Path, language: str) -> None:
    """Every page: no console error, exception, failed request or other host; images,
    figures, math; a cold load within the budget."""
    found = sweep(context, served, language)
    problems = found.problems + weight_problems(served, found.weights)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / f"page-weights-{language}.json").write_text(json.dumps(found.weights, indent=1) + "\n")
    assert problems == [], f"{len(problems)} problems on the {language} pages:\n" + "\n".join(problems)


# Issue 18's budget for a cold load as served: the page and all it loads at most 1 MB
# (KaTeX loads only where there is math, the search index on first use, a figure when the
# reader scrolls to it: hooks/figures.py), its HTML at most 300 KB. Highlighted code is
# most of a long page's HTML (Pygments' token spans, and the line spans the copy
# button's CSS needs); mkdocs.yml leaves out the per-line anchors, which without line
# numbers shown link nothing a reader sees (about 80 bytes a line).
MAX_LOAD, MAX_HTML = 1_000_000, 300_000


def weight_problems(site: Path, weights: dict[str, dict[str, Any]]) -> list[str]:
    """Pages over the budget, and KaTeX loaded by a page without math."""
    problems = []
    for url, weight in weights.items():
        if weight["total"] > MAX_LOAD:
            problems.append(f"{url}: a cold load of {weight['total'] / 1e6:.2f} MB, over {MAX_LOAD / 1e6:g} MB")
        if weight["html"] > MAX_HTML:
            problems.append(f"{url}: {weight['html'] / 1e3:.0f} KB of HTML, over {MAX_HTML / 1e3:g} KB")
        html = built_html(site, url)
        if weight["katex"] and 'class="arithmatex"' not in html:
            problems.append(f"{url}: loads KaTeX but has no math")
    return problems


PHONE = {"width": 390, "height": 844}  # an iPhone 12 to 15, in CSS pixels


# Each figure on a page: the file and the width it is shown at.
FIGURES_SHOWN = """() => [...document.querySelectorAll(".md-content img.handbook-figure-image")]
  .filter(img => img.checkVisibility())
  .map(img => [img.src, img.getBoundingClientRect().width])"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_display_math_and_the_text_of_figures_fit_a_phone_screen(
        context: BrowserContext, served: Path, language: str) -> None:
    """At 390 px, no displayed equation of any page is wider than the text column, and
    the smallest text of every figure is at least MIN_TEXT_PX high as shown (a figure
    whose text would be smaller scrolls sideways instead, hooks/figures.py)."""
    html = {url: built_html(served, url) for url in page_urls(served, language)}
    with_math = [url for url in html if DISPLAY_MATH in html[url]]
    assert len(with_math) >= 15, f"only {len(with_math)} pages with displayed equations in {language}"
    found = sweep(context, served, language)
    assert set(with_math) <= set(found.phone_checked), "pages with display math not seen at 390 px"
    assert found.figures_measured >= 30, f"the text of only {found.figures_measured} figures measured"
    assert found.phone == [], f"{len(found.phone)} problems at 390 px:\n" + "\n".join(found.phone)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_page_fits_a_phone_and_shows_its_thumbnails(browser: Browser, served: Path,
                                                            language: str) -> None:
    """At 390 px the home page does not scroll sideways, its cards stack in one column,
    and each chapter card's thumbnail is loaded and as wide as its card's text."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True,
                                  has_touch=True)
    tab = watch(context.new_page())
    try:
        tab.page.goto(ROOT_URL + LANGUAGES[language])
        tab.page.wait_for_load_state("load")
        layout = tab.page.evaluate("""() => {
          const cards = [...document.querySelectorAll(".grid.cards > ul > li")];
          const images = [...document.querySelectorAll("img.handbook-thumbnail")];
          return {width: document.documentElement.scrollWidth, viewport: innerWidth,
                  columns: new Set(cards.map(card => card.getBoundingClientRect().left)).size,
                  images: images.map(img => [img.naturalWidth, img.getBoundingClientRect().width,
                                             img.parentElement.getBoundingClientRect().width])};
        }""")
    finally:
        problems = tab.problems
        context.close()
    assert layout["width"] <= layout["viewport"], layout
    assert layout["columns"] == 1, layout
    assert len(layout["images"]) == len(CHAPTERS)  # a card for each chapter
    assert all(natural > 0 and shown >= 0.95 * column for natural, shown, column in layout["images"])
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_formulas_are_typeset_and_no_raw_tex_is_left(tab: Tab, language: str) -> None:
    """KaTeX turns every formula into math: .katex elements, and no \\( \\[ $$ left in the text."""
    tab.page.goto(ROOT_URL + LANGUAGES[language] + "setting-up/bias-variance/")
    tab.page.wait_for_selector(".md-content .katex")
    assert tab.page.locator(".md-content .katex").count() > 5
    text = tab.page.evaluate("document.querySelector('.md-content').innerText")
    left = [delimiter for delimiter in ("\\(", "\\)", "\\[", "\\]", "$$") if delimiter in text]
    assert left == [], f"raw TeX left in the text: {left}"
    assert tab.page.locator(".md-content .katex-error").count() == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_figures_drawn_at_build_time_are_shown(tab: Tab, language: str) -> None:
    """The figures of a page, files of the site, load as the reader scrolls to them and
    are shown at their drawn size (a point a CSS pixel), or the column's width if
    narrower."""
    tab.page.goto(ROOT_URL + LANGUAGES[language] + "optimization/adam/")
    figures = tab.page.locator(".md-content .handbook-output img.handbook-figure-image")
    assert figures.count() >= 2, "the page shows fewer than two figures"
    column = tab.page.evaluate("document.querySelector('.md-content .md-typeset').clientWidth")
    last = figures.nth(figures.count() - 1)
    assert not last.evaluate("img => img.complete"), "the last figure loaded before it was needed"
    for i in range(figures.count()):
        figures.nth(i).scroll_into_view_if_needed()
        figures.nth(i).evaluate("img => img.decode()")
        box = figures.nth(i).evaluate("img => ({width: img.getBoundingClientRect().width, "
                                      "drawn: Number(img.getAttribute('width')), natural: img.naturalWidth})")
        assert box["natural"] > 0 and abs(box["width"] - min(box["drawn"], column)) <= 1, box


def twin(url: str, language: str) -> str:
    """The address of the same page in another language."""
    path = url.partition("#")[0].removeprefix(ROOT_URL)
    for folder in LANGUAGES.values():
        if folder and path.startswith(folder):
            path = path.removeprefix(folder)
    return ROOT_URL + LANGUAGES[language] + path


def switch_language(tab: Tab, language: str) -> None:
    """Pick a language in the header's language menu; check that its page is loaded afresh."""
    target = twin(tab.page.url, language)
    tab.page.evaluate("window.handbookTestMark = 'the page before'")
    tab.page.hover(".md-header .md-select > button")
    tab.page.click(f'.md-header a.md-select__link[hreflang="{language}"]')
    # The #fragment of the section being read is carried over (language-switcher.js).
    tab.page.wait_for_url(lambda url: url.partition("#")[0] == target)
    assert tab.page.evaluate("document.documentElement.lang") == language
    # A full load, so that the header (site name, search, language menu) follows the language.
    assert tab.page.evaluate("window.handbookTestMark") is None, "the language changed without a page load"


def test_the_language_switcher_leads_to_the_same_page_in_the_other_language(tab: Tab) -> None:
    """From a chapter, the switcher opens the same chapter in Chinese, and from there in English again."""
    tab.page.goto(ROOT_URL + "optimization/adam/")
    switch_language(tab, "zh")
    assert tab.page.url.partition("#")[0] == ROOT_URL + "zh/optimization/adam/"
    switch_language(tab, "en")
    assert tab.page.url.partition("#")[0] == ROOT_URL + "optimization/adam/"
    assert tab.problems == []


def test_the_language_switcher_keeps_the_section_being_read(tab: Tab) -> None:
    """Deep inside a page, the switcher opens the twin at the same section: twin headings share ids."""
    page = tab.page
    page.goto(ROOT_URL + "optimization/lr-decay/#warm-up")
    for language in ("zh", "en"):
        switch_language(tab, language)
        page.wait_for_url(lambda url: url.endswith("#warm-up"))
        top = page.eval_on_selector("#warm-up", "h => h.getBoundingClientRect().top")
        assert 0 <= top < page.viewport_size["height"] / 2, f"{language}: the section is not in view ({top} px)"
    assert page.inner_text("#warm-up").startswith("Warm-up")
    tab.settle()
    assert tab.problems == []


def test_the_language_switcher_follows_instant_navigation(tab: Tab) -> None:
    """After moving to the next chapter without a reload, the switcher leads to that chapter's twin."""
    page = tab.page
    page.goto(ROOT_URL + "optimization/lr-decay/")
    for language in ("zh", "en"):
        title = page.title()
        following = page.eval_on_selector("a.md-footer__link--next", "a => a.href")
        page.evaluate("window.handbookTestMark = 'the page before'")
        page.click("a.md-footer__link--next")
        # navigation.tracking may put the #fragment of a section in the address for a moment
        page.wait_for_url(lambda url: url.partition("#")[0] == following)
        page.wait_for_function("title => document.title !== title", arg=title)
        if INSTANT:
            assert page.evaluate("window.handbookTestMark") == "the page before", "instant navigation did not engage"
        switch_language(tab, language)
        assert page.url.partition("#")[0] == twin(following, language)
    tab.settle()
    assert tab.problems == []


# Each query, and the page that must come first for it, in each language.
SEARCHES = {
    "en": [
        ("momentum", "optimization/momentum/"), ("Nesterov", "optimization/momentum/"),
        ("bias correction", "optimization/ewma/"), ("batch norm", "tuning/batch-normalization/"),
        ("batch normalization", "tuning/batch-normalization/"), ("gradient clipping", "optimization/landscape/"),
        ("dropout", "regularization/dropout/"), ("early stopping", "regularization/early-stopping/"),
        ("weight decay", "regularization/weight-decay/"), ("label smoothing", "regularization/label-smoothing/"),
        ("data augmentation", "regularization/data-augmentation/"), ("Adam", "optimization/adam/"),
        ("AdamW", "optimization/adam/"), ("RMSprop", "optimization/adagrad-rmsprop/"),
        ("AdaGrad", "optimization/adagrad-rmsprop/"), ("learning-rate decay", "optimization/lr-decay/"),
        ("warm-up", "optimization/lr-decay/"), ("exponentially weighted average", "optimization/ewma/"),
        ("mini-batch", "optimization/minibatch/"), ("saddle point", "optimization/landscape/"),
        ("random search", "tuning/hyperparameter-search/"), ("softmax regression", "tuning/softmax/"),
        ("cross-entropy", "tuning/softmax/"), ("activation function", "tuning/activations/"),
        ("NaN", "debugging/loss-and-nan/"), ("gradient checking", "setting-up/gradient-checking/"),
        ("Xavier initialization", "setting-up/weight-initialization/"),
        ("vanishing gradients", "setting-up/vanishing-exploding/"),
        ("exploding gradient", "setting-up/vanishing-exploding/"), ("dev set", "setting-up/splits/"),
        ("Bayes error", "setting-up/bias-variance/"), ("standardization", "setting-up/normalizing-inputs/"),
        ("L2 regularization", "regularization/l2-l1/"), ("KL divergence", "debugging/loss-and-nan/"),
    ],
    "zh": [
        ("动量", "optimization/momentum/"), ("偏差修正", "optimization/ewma/"),
        ("批量归一化", "tuning/batch-normalization/"), ("批归一化", "tuning/batch-normalization/"),
        ("BN", "tuning/batch-normalization/"), ("梯度裁剪", "optimization/landscape/"),
        ("随机失活", "regularization/dropout/"), ("早停", "regularization/early-stopping/"),
        ("权重衰减", "regularization/weight-decay/"), ("标签平滑", "regularization/label-smoothing/"),
        ("数据增强", "regularization/data-augmentation/"), ("Adam", "optimization/adam/"),
        ("RMSprop", "optimization/adagrad-rmsprop/"), ("学习率衰减", "optimization/lr-decay/"),
        ("预热", "optimization/lr-decay/"), ("指数加权平均", "optimization/ewma/"),
        ("小批量", "optimization/minibatch/"), ("鞍点", "optimization/landscape/"),
        ("随机搜索", "tuning/hyperparameter-search/"), ("softmax 回归", "tuning/softmax/"),
        ("交叉熵", "tuning/softmax/"), ("激活函数", "tuning/activations/"),
        ("梯度检验", "setting-up/gradient-checking/"), ("Xavier 初始化", "setting-up/weight-initialization/"),
        ("梯度消失", "setting-up/vanishing-exploding/"), ("梯度爆炸", "setting-up/vanishing-exploding/"),
        ("验证集", "setting-up/splits/"), ("贝叶斯误差", "setting-up/bias-variance/"),
        ("标准化", "setting-up/normalizing-inputs/"), ("L2 正则化", "regularization/l2-l1/"),
        ("KL 散度", "debugging/loss-and-nan/"), ("NaN", "debugging/loss-and-nan/"),
    ],
}
# What a preview must not show: LaTeX source, notebook prompts and buttons, permalinks.
PREVIEW_NOISE = re.compile(r"\\[a-zA-Z]+|\\\(|In \[\d*\]|Out\[|Copied!|¶")
SEARCH_ALL = """async (queries) => {
    const found = [];
    for (const query of queries) {  // the ranking the search dialog shows (search.js)
        const results = await window.handbookSearch.rank(query, 5);
        found.push(results.map(r => ({url: r.url, excerpt: r.excerpt.replace(/<[^>]+>/g, "")})));
    }
    return found;
}"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_puts_the_technique_page_first_in_the_language_being_read(tab: Tab, language: str) -> None:
    """For each query of SEARCHES, the page about it comes first, every result is in the
    reader's language, and no preview shows LaTeX source or notebook noise."""
    tab.page.goto(ROOT_URL + LANGUAGES[language])
    queries = [query for query, _ in SEARCHES[language]]
    found = tab.page.evaluate(SEARCH_ALL, queries)
    prefix = SITE_PATH + LANGUAGES[language]
    wrong, other_language, noisy = [], [], []
    for (query, page), results in zip(SEARCHES[language], found, strict=True):
        urls = [result["url"] for result in results]
        if not urls or urls[0] != prefix + page:
            wrong.append(f"{query!r}: {urls[:3]}, not {prefix + page} first")
        other_language += [url for url in urls if (language == "en") == url.startswith(SITE_PATH + "zh/")]
        noisy += [result["excerpt"] for result in results if PREVIEW_NOISE.search(result["excerpt"])]
    assert wrong == []
    assert other_language == []
    assert noisy == []
    assert tab.problems == []


@pytest.mark.parametrize(("language", "query", "page"), [
    ("zh", "批归一化", "tuning/batch-normalization/"),
    ("en", "momentum", "optimization/momentum/"),
])
def test_the_search_dialog_opens_finds_and_leads_to_the_page(tab: Tab, language: str, query: str, page: str) -> None:
    """The header's magnifier opens the search; typing lists the page first; its link opens it."""
    tab.page.goto(ROOT_URL + LANGUAGES[language])
    tab.page.click(".handbook-search-open")
    tab.page.wait_for_selector("#handbook-search .handbook-search__input:focus", timeout=10_000)
    tab.page.keyboard.type(query)
    # the answer to the whole query, not to its first characters (typed one by one)
    answered = f'.handbook-search__results[data-query="{query}"] a'
    first = tab.page.wait_for_selector(answered, timeout=10_000)
    assert first.get_attribute("href") == SITE_PATH + LANGUAGES[language] + page
    assert first.inner_text().strip(), "a result without a title"
    first.click()
    tab.page.wait_for_url(ROOT_URL + LANGUAGES[language] + page + "**")
    assert not tab.page.evaluate("document.getElementById('handbook-search').open")
    assert tab.problems == []


def test_the_palette_toggle_switches_between_light_and_dark(tab: Tab) -> None:
    """The header's palette button swaps the default and slate schemes, and back."""
    page = tab.page
    page.goto(ROOT_URL)
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    toggle = 'label.md-header__button[for^="__palette"]:visible'
    before = page.evaluate(scheme)
    page.click(toggle)
    after = page.evaluate(scheme)
    page.click(toggle)  # back again: the choice is remembered for the other tests' pages
    assert {before, after} == {"default", "slate"}
    assert page.evaluate(scheme) == before


def test_the_copy_button_puts_the_code_on_the_clipboard(tab: Tab) -> None:
    """The copy button of a plain code block copies exactly the block's code."""
    page = tab.page
    page.goto(ROOT_URL + "how-to-use/")
    block = page.locator(".md-content div.language-python pre").first
    block.hover()
    # .md-code__button: the copy button of Material 9.8 (.md-clipboard in older versions).
    block.locator('.md-clipboard, .md-code__button[data-md-type="copy"]').click()
    page.wait_for_selector(".md-dialog--active")  # Material's "Copied to clipboard"
    # textContent: the innerText of a block has a blank line after each line (the line spans are blocks)
    code = block.locator("code").text_content().strip()
    assert code
    assert page.evaluate("navigator.clipboard.readText()").strip() == code


SCREENSHOTS = {  # mode: the pages shot in it, as (name, path)
    "desktop-light": [("home-en", ""), ("home-zh", "zh/"), ("adam-en", "optimization/adam/"),
                      ("adam-zh", "zh/optimization/adam/"), ("lab-en", "labs/optimizers/"),
                      ("lab-zh", "zh/labs/optimizers/")],
    "desktop-dark": [("home-en", ""), ("adam-zh", "zh/optimization/adam/"),
                     ("bias-variance-en", "setting-up/bias-variance/")],
    "phone-light": [("home-zh", "zh/"), ("adam-en", "optimization/adam/"),
                    ("bias-variance-zh", "zh/setting-up/bias-variance/")],
    "phone-dark": [("home-en", ""), ("bias-variance-en", "setting-up/bias-variance/")],
}


@pytest.mark.parametrize("mode", SCREENSHOTS)
def test_screenshots_of_the_home_pages_two_chapters_and_a_lab_are_written(
        browser: Browser, served: Path, mode: str) -> None:
    """Full-page screenshots, for a person to look at, in HANDBOOK_TEST_OUTPUT or
    tests/output/: desktop (1280 px) and phone (390 px), light and dark."""
    device, scheme = mode.split("-")
    size = PHONE if device == "phone" else {"width": 1280, "height": 800}
    context = browser.new_context(viewport=size, is_mobile=device == "phone",
                                  has_touch=device == "phone", color_scheme=scheme)
    tab = watch(context.new_page())
    OUTPUT.mkdir(parents=True, exist_ok=True)
    try:
        for name, path in SCREENSHOTS[mode]:
            shot = OUTPUT / f"{name}-{mode}.png"
            shot.unlink(missing_ok=True)
            tab.page.goto(ROOT_URL + path)
            tab.page.wait_for_load_state("load")
            tab.page.evaluate("document.fonts.ready.then(() => true)")
            expected = "slate" if scheme == "dark" else "default"
            assert tab.page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
            tab.page.screenshot(path=shot, full_page=True)
            assert shot.is_file() and shot.stat().st_size > 10_000
    finally:
        problems = tab.problems
        context.close()
    assert problems == []


# --- what a reader copies -------------------------------------------------------------

CLIPBOARD_SENTINEL = "handbook: nothing copied yet"
# Each Python block in page order (collapsed "code for this output" boxes opened first),
# with the output the page shows under it: the console-output lines of a doctest block.
PAGE_BLOCKS = """() => {
  document.querySelectorAll(".md-content details").forEach(d => { d.open = true; });
  return [...document.querySelectorAll(
      ".md-content div.language-python.highlight, .md-content div.language-pycon.highlight")]
    .filter(block => !block.closest(".no-copy"))  // shown for recognition, not to be run
    .map((block, index) => {
      block.setAttribute("data-handbook-block", String(index));
      return [...block.querySelectorAll("code .go")].map(line => line.textContent);
    });
}"""


# Clicks the copy button of every marked block in order, inside the page, and returns
# what each click copied: the text selected when the browser copies (the button's
# handler, clipboard.js, selects the text in a hidden textarea and runs the copy
# command, which fires the document's copy event), or null if the click copied nothing.
# One call per page: a round trip from Python per block made the sweep minutes long,
# and a clipboard read after each click doubled the sweep's copying time.
COPY_ALL = """() => {
  const blocks = [...document.querySelectorAll("[data-handbook-block]")]
    .sort((a, b) => a.dataset.handbookBlock - b.dataset.handbookBlock);
  let text = null;
  const selected = event => {
    const field = event.target;
    text = field instanceof HTMLTextAreaElement
      ? field.value.slice(field.selectionStart, field.selectionEnd)
      : String(getSelection());
  };
  document.addEventListener("copy", selected, true);
  const copied = blocks.map(block => {
    text = null;
    block.querySelector('.md-clipboard, .md-code__button[data-md-type="copy"]').click();
    return text;
  });
  document.removeEventListener("copy", selected, true);
  return copied;
}"""
# Puts the sentinel on the clipboard, once the focused page may write it (a loaded
# machine can take the focus away for a while): false if it could not within 3 s.
WRITE_CLIPBOARD = """async sentinel => {
  const deadline = performance.now() + 3000;
  while (performance.now() < deadline) {
    window.focus();
    if (await navigator.clipboard.writeText(sentinel).then(() => true, () => false)) {
      return true;
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  return false;
}"""
# What is on the clipboard, likewise: the sentinel if nothing came within three seconds.
READ_CLIPBOARD = """async sentinel => {
  const deadline = performance.now() + 3000;
  let text = sentinel;
  while (performance.now() < deadline) {
    window.focus();
    text = await navigator.clipboard.readText().catch(() => sentinel);
    if (text !== sentinel) break;
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  return text;
}"""


def copied_blocks(page: Page, url: str) -> tuple[str, list[str]]:
    """The loaded page's Python blocks as the copy button gives them, joined, and the
    output shown. The last block's copy is read back from the clipboard as well: what
    the copy event showed is what the clipboard got."""
    outputs = page.evaluate(PAGE_BLOCKS)
    page.bring_to_front()  # the clipboard serves the focused page
    assert page.evaluate(WRITE_CLIPBOARD, CLIPBOARD_SENTINEL), f"{url}: cannot write the clipboard"
    copied = page.evaluate(COPY_ALL)
    if None in copied:  # the page lost the focus for a while: once more
        page.bring_to_front()
        copied = page.evaluate(COPY_ALL)
    assert len(copied) == len(outputs), f"{url}: {len(outputs)} blocks, {len(copied)} copied"
    missing = [i for i, text in enumerate(copied) if text is None]
    assert not missing, f"{url}: the copy buttons of blocks {missing} copied nothing"
    if copied:
        on_clipboard = page.evaluate(READ_CLIPBOARD, CLIPBOARD_SENTINEL)
        assert on_clipboard == copied[-1], (
            f"{url}: the clipboard holds {on_clipboard[:80]!r}, not what the last copy "
            f"button copied ({copied[-1][:80]!r})")
    return "\n\n".join(copied) + "\n", [line for block in outputs for line in block]


def shows_in_order(shown: list[str], printed: str) -> str | None:
    """None if every shown output line is printed, in order (numbers to the digits shown).

    Lines are compared word by word, so an output the page wraps over two lines (the
    doctests normalize white space) still matches the one line the code prints.
    """
    import doctest

    from sybil.evaluators.doctest import NUMBER

    from hooks.pages import PrecisionChecker

    checker, flags = PrecisionChecker(), doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | NUMBER
    words = printed.split()
    position = 0
    for want in shown:
        expected = want.split()
        if not expected or expected == ["..."]:
            continue
        for i in range(position, len(words) - len(expected) + 1):
            if all(checker.check_output(w + "\n", words[i + j] + "\n", flags)
                   for j, w in enumerate(expected)):
                position = i + len(expected)
                break
        else:
            return f"the page shows {want!r}, which the copied code does not print (in this order)"
    return None


def run_copied(script: str, language: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """Run pasted code as a reader would: a fresh Python, in an empty folder, one BLAS thread."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "copied.py").write_text(script, encoding="utf-8")
    env = dict(os.environ, MPLBACKEND="Agg", HANDBOOK_LANG=language, OPENBLAS_NUM_THREADS="1",
               OMP_NUM_THREADS="1")
    env.pop("PYTHONPATH", None)
    return subprocess.run([sys.executable, "copied.py"], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=600)


def source_of(url: str, language: str) -> Path:
    """The Markdown file a technique page's address was built from."""
    path = url.removeprefix(ROOT_URL).removeprefix(LANGUAGES[language]).strip("/")
    return ROOT / "docs" / (path + (".zh.md" if language == "zh" else ".md"))


def lines_of(code: str) -> list[str]:
    """Code compared line by line: trailing spaces and blank lines do not count."""
    return [line.rstrip() for line in code.splitlines() if line.strip()]


def code_the_tests_ran(page: Path) -> str:
    """What the page runner executes of a page, as a reader would copy it: every
    Python block in page order, snippets expanded, doctests without prompts."""
    from tests.test_code_on_pages import python_blocks

    return "\n\n".join(code for _, code in python_blocks(page))


# A page whose copied code is also run in a fresh Python, whatever the comparison says:
# the run keeps the fresh-session path itself tested.
ALWAYS_RUN = "setting-up/numpy-stack/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_copied_code_of_every_technique_page_runs_and_prints_what_the_page_shows(
        context: BrowserContext, served: Path, tmp_path: Path, language: str) -> None:
    """Click every copy button of a page in order: what lands on the clipboard is the
    code the page tests ran, and it prints the page.

    The page tests (Sybil) run every block of a page in order in one namespace of its
    own and check what each doctest prints. A copied page whose lines are those lines
    has therefore run and printed what the page shows; running it again would repeat
    minutes of work. A copied page that differs from what the tests ran is pasted into
    a fresh Python and must run and print the page, and is reported all the same:
    the tests did not test what the reader copies. One page is always run fresh.
    The copy buttons are clicked on the visit of ``sweep``.
    """
    from concurrent.futures import ThreadPoolExecutor

    problems: list[str] = []
    copies: dict[tuple[str, tuple[str, ...]], tuple[str, str]] = {}  # (script, shown) -> (url, language)
    copied = sweep(context, served, language).copies
    assert len(copied) >= 29, f"only {len(copied)} technique pages in {language}"
    for url, (script, shown) in copied.items():
        for line_number, line in enumerate(script.splitlines(), start=1):
            if line.lstrip().startswith((">>>", "...")) and not line.strip() == "...":
                problems.append(f"{url}: copied line {line_number} has a prompt: {line!r}")
                break
        same = lines_of(script) == lines_of(code_the_tests_ran(source_of(url, language)))
        if not same:
            problems.append(f"{url}: the copied code is not the code the page tests ran")
        if not same or url.endswith(ALWAYS_RUN):
            copies.setdefault((script, tuple(shown)), (url, language))
    assert len(copies) >= 1
    import importlib.util
    import warnings

    if importlib.util.find_spec("torch") is None:  # the PyTorch sections need it (an optional extra)
        needs_torch = [key for key in copies if re.search(r"^\s*import torch\b", key[0], re.M)]
        if needs_torch and os.environ.get("HANDBOOK_REQUIRE_TORCH") == "1":
            pytest.fail(f"HANDBOOK_REQUIRE_TORCH=1, but PyTorch is not installed: "
                        f"{len(needs_torch)} pages' copied code cannot run", pytrace=False)
        for key in needs_torch:
            warnings.warn(f"{copies.pop(key)[0]}: not run, PyTorch is not installed")
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        runs = {}
        for (script, shown), (url, language) in copies.items():
            name = url.removeprefix(ROOT_URL).strip("/").replace("/", "-")
            runs[url] = (list(shown), pool.submit(run_copied, script, language, tmp_path / name))
        for url, (shown, future) in runs.items():
            result = future.result()
            if result.returncode != 0:
                problems.append(f"{url}: the copied code fails:\n{result.stderr[-2000:]}")
                continue
            mismatch = shows_in_order(shown, result.stdout)
            if mismatch:
                problems.append(f"{url}: {mismatch}")
    assert not problems, "\n".join(problems)


def test_the_comparison_of_copied_and_tested_code_sees_a_changed_line() -> None:
    page = ROOT / "docs" / "setting-up" / "numpy-stack.md"
    code = code_the_tests_ran(page)
    assert lines_of(code + "\n\n") == lines_of(code)
    changed = code.replace("import numpy as np", "import numpy", 1)
    assert changed != code and lines_of(changed) != lines_of(code)


# What the printed output of a lab page looks like in the browser: every block's white-space,
# whether it scrolls sideways, and whether Material gave it a copy button.
LAB_OUTPUTS = """() => [...document.querySelectorAll(".md-content .handbook-output pre > code")].map(code => ({
  whiteSpace: getComputedStyle(code).whiteSpace,
  overflowX: getComputedStyle(code).overflowX,
  copyButton: code.parentElement.querySelector('.md-clipboard, .md-code__button[data-md-type="copy"]') !== null,
}))"""


def lab_pages(language: str) -> dict[Path, str]:
    """Each lab of ``language`` (its source, docs/labs/*.py) and the address of its page."""
    from hooks.labs import lab_name, labs

    return {source: f"{ROOT_URL}{LANGUAGES[language]}labs/{lab_name(source)}/"
            for source in labs() if source.name.endswith(".zh.py") == (language == "zh")}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_copy_buttons_of_a_lab_copy_its_cells_and_its_outputs_keep_their_lines(
        context: BrowserContext, served: Path, language: str) -> None:
    """On every lab page of the language, each code block's copy button copies exactly
    that cell's code, in the notebook's order; what the cells printed keeps each line
    whole (it scrolls sideways) and has no copy button. The buttons are clicked on the
    visit of ``sweep``."""
    import jupytext

    found = sweep(context, served, language)
    problems = []
    pages = lab_pages(language)
    assert len(pages) >= 6, f"only {len(pages)} {language} labs"
    for source, url in pages.items():
        if url not in found.labs:
            problems.append(f"{url}: the lab page was not visited")
            continue
        copied, outputs = found.labs[url]
        code = [cell.source for cell in jupytext.read(source).cells if cell.cell_type == "code"]
        if lines_of(copied) != lines_of("\n\n".join(code)):
            problems.append(f"{url}: the copy buttons do not copy the cells' code")
        if not outputs:
            problems.append(f"{url}: no printed output")
        problems += [f"{url}: printed output {i + 1}: {shown}" for i, shown in enumerate(outputs)
                     if shown != {"whiteSpace": "pre", "overflowX": "auto", "copyButton": False}]
    assert problems == [], "\n".join(problems)
