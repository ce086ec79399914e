"""Helpers for checking the built gradbook site in headless Chromium.

This is a helper module, not a test module. It provides:

* :func:`build_site`: ``mkdocs build --strict`` of a given config into a given directory;
* :func:`serve_directory`: a static file server on 127.0.0.1 (random port) in a daemon thread;
* :func:`launch_chromium`: Playwright driving the system Chromium (Debian ``chromium``);
* :func:`check_page`: open one page and return a list of problems (empty = page is fine);
* :func:`check_layout`: open one page at a given width and palette and return what is cut off
  without a scroll cue, sticks out of the page, or shows the other palette's figure;
* :func:`check_instant_navigation`: click a nav link (Material instant navigation) and
  check the page that was swapped in.

The page checks rely on ``site_src/javascripts/katex-init.js``, which sets
``data-math-errors``, ``data-math-page`` and ``data-math-renders`` on ``<body>`` after each
KaTeX render pass.

Instant navigation only intercepts links listed in ``sitemap.xml``, and Material compares
them including the port, so a site must be built with ``site_url`` equal to the address it
is served from. :func:`build_site` passes ``site_url`` to MkDocs through the environment
variable ``GRADBOOK_SITE_URL``; the config reads it with ``site_url: !ENV GRADBOOK_SITE_URL``.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

SITE_URL_ENV = "GRADBOOK_SITE_URL"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})

# Flags from docs-ecosystem.md section 4 / pitfall 11: root needs --no-sandbox, and without
# the background-networking flags Chromium keeps trying to reach Google hosts.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
VIEWPORT = {"width": 1280, "height": 900}  # wide enough that Material shows the left nav

CHROMIUM_MISSING = (
    "Chromium was not found (looked at $GRADBOOK_CHROMIUM, `chromium` on PATH and "
    "/usr/bin/chromium). The browser tests use the system Chromium, not Playwright's "
    "download. Install it with:  sudo apt-get update && sudo apt-get install -y chromium"
)


class BuildError(RuntimeError):
    """``mkdocs build --strict`` failed; the message contains its output."""


# --------------------------------------------------------------------------------------
# build


def build_site(
    config_file: str | os.PathLike[str],
    site_dir: str | os.PathLike[str],
    *,
    site_url: str | None = None,
    timeout: float = 1200,
) -> str:
    """Run ``mkdocs build --strict -f CONFIG -d SITE_DIR`` and return its log.

    ``site_url`` is handed to the config as ``$GRADBOOK_SITE_URL`` (see module docstring).
    Raises :class:`BuildError` with the full MkDocs output if the build fails.
    """
    config_file = Path(config_file).resolve()
    env = dict(os.environ)
    env.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner
    env.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    if site_url is not None:
        env[SITE_URL_ENV] = site_url
    cmd = [
        sys.executable, "-m", "mkdocs", "build", "--strict",
        "--config-file", str(config_file), "--site-dir", str(Path(site_dir).resolve()),
    ]  # fmt: skip
    proc = subprocess.run(
        cmd,
        cwd=config_file.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    log = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise BuildError(
            f"`mkdocs build --strict -f {config_file}` failed (exit {proc.returncode}):\n{log}"
        )
    return log


def discover_pages(site_dir: str | os.PathLike[str]) -> list[str]:
    """URL paths ("/", "/derivations/foo/", ...) of every page in a built site.

    Walks ``**/index.html`` (MkDocs' directory URLs), skipping theme/vendor assets and
    the search index. Sorted, home page first.
    """
    root = Path(site_dir)
    pages = []
    for html in root.rglob("index.html"):
        rel = html.parent.relative_to(root)
        if rel.parts and rel.parts[0] in {"assets", "search"}:
            continue
        pages.append("/" if not rel.parts else "/" + "/".join(rel.parts) + "/")
    return sorted(pages, key=lambda p: (p != "/", p))


# --------------------------------------------------------------------------------------
# serve


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    """A browser that moves on drops connections mid-file; that is no error of the site."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve_directory(directory: str | os.PathLike[str]) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 at a free port; yields the base URL ("http://.../").

    The directory may still be empty when this starts (files are looked up per request),
    so a site can be built into it after the port is known.
    """
    handler = functools.partial(_QuietHandler, directory=os.fspath(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="gradbook-site", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def served_site(config_file: str | os.PathLike[str], site_dir: str | os.PathLike[str]):
    """Start a server on ``site_dir``, build ``config_file`` into it with a matching
    ``site_url``, and yield the base URL."""
    with serve_directory(site_dir) as url:
        build_site(config_file, site_dir, site_url=url)
        yield url


# --------------------------------------------------------------------------------------
# browser


def find_chromium() -> str:
    """Path of the system Chromium, or raise RuntimeError naming the apt package."""
    candidates = [os.environ.get("GRADBOOK_CHROMIUM"), shutil.which("chromium"),
                  "/usr/bin/chromium"]  # fmt: skip
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise RuntimeError(CHROMIUM_MISSING)


@contextmanager
def launch_chromium():
    """Yield a Playwright ``Browser`` running the system Chromium headless; closes it after.

    Needs the ``playwright`` Python package but not ``playwright install``.
    """
    executable = find_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - environment problem
        raise RuntimeError(
            "The browser tests need Playwright for Python: pip install 'playwright>=1.45' "
            "(no `playwright install` needed; the system Chromium is used)."
        ) from exc
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS


class PageMonitor:
    """Records what a page does on the network and the console."""

    def __init__(self, page: Any) -> None:
        self.external: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", self._on_request)
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)

    def _on_request(self, request: Any) -> None:
        if not _is_local(request.url):
            self.external.append(request.url)

    def _on_request_failed(self, request: Any) -> None:
        if _is_local(request.url):
            self.failed.append(f"{request.url} ({request.failure})")

    def _on_response(self, response: Any) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            # First line only: KaTeX errors carry a long stack trace.
            first = message.text.strip().splitlines()[0] if message.text.strip() else ""
            self.console_errors.append(first[:400])

    def _on_page_error(self, error: Any) -> None:
        self.console_errors.append(f"uncaught exception: {error}")

    def problems(self) -> list[str]:
        out = [f"request to non-local host: {u}" for u in dict.fromkeys(self.external)]
        out += [f"failed request: {u}" for u in dict.fromkeys(self.failed)]
        out += [f"console error: {m}" for m in self.console_errors]
        return out


def _block_external(route: Any) -> None:
    # Recorded by PageMonitor; aborted here so an offline machine does not wait on DNS.
    if _is_local(route.request.url):
        route.continue_()
    else:
        route.abort()


def new_context(browser: Any, viewport: dict[str, int] = VIEWPORT, **kwargs: Any) -> Any:
    """A fresh browser context, by default with our viewport, and external requests blocked."""
    context = browser.new_context(viewport=viewport, service_workers="block", **kwargs)
    context.route("**/*", _block_external)
    return context


# Runs in the page. Returns facts; the Python side turns them into problem messages.
_INSPECT_JS = r"""
async () => {
  await document.fonts.ready;
  const snippet = (s) => s.replace(/\s+/g, " ").trim().slice(0, 100);
  const body = document.body;
  const math = [...document.querySelectorAll(".arithmatex")];
  const unrendered = math.filter((el) => !el.querySelector(".katex"))
    .map((el) => snippet(el.textContent));
  const katexErrors = [...document.querySelectorAll(".katex-error")]
    .map((el) => snippet(el.getAttribute("title") || el.textContent));

  // Prose text of the article without rendered math, TeX annotations and code.
  const article = document.querySelector("article") || body;
  const clone = article.cloneNode(true);
  clone.querySelectorAll(".katex, annotation, pre, code, kbd, samp, script, style, textarea")
    .forEach((el) => el.remove());
  const text = clone.textContent;
  const raw = [];
  const patterns = [
    [/\\\(|\\\)|\\\[|\\\]/g, "raw math delimiter"],
    [/\$\$/g, "raw $$"],
    [/\$[^$\n]{0,80}?[\\^_][^$\n]{0,80}?\$/g, "TeX between $ signs"],
  ];
  for (const [re, what] of patterns) {
    for (const m of text.matchAll(re)) {
      const around = text.slice(Math.max(0, m.index - 40), m.index + 60);
      raw.push(what + ": \u2026" + snippet(around) + "\u2026");
      if (raw.length > 20) break;
    }
  }

  const family = (f) => f.family.replace(/["']/g, "");
  const katexFaces = [...document.fonts].filter((f) => family(f).startsWith("KaTeX"));
  return {
    path: location.pathname,
    arithmatex: math.length,
    katex: document.querySelectorAll(".arithmatex .katex").length,
    unrendered,
    katexErrors,
    mathErrors: body.dataset.mathErrors ?? null,
    mathPage: body.dataset.mathPage ?? null,
    mathRenders: body.dataset.mathRenders ?? null,
    raw,
    fontErrors: katexFaces.filter((f) => f.status === "error")
      .map((f) => `${family(f)} ${f.style} ${f.weight}`),
    katexMainLoaded: katexFaces.some((f) => family(f) === "KaTeX_Main" && f.status === "loaded"),
  };
}
"""

_RENDERED_JS = "() => document.body && document.body.dataset.mathPage === location.pathname"


def wait_for_math(page: Any, timeout_ms: float = 10_000) -> list[str]:
    """Wait until katex-init.js has run for the current URL; returns problems on timeout."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        page.wait_for_function(_RENDERED_JS, timeout=timeout_ms)
    except PlaywrightTimeoutError:
        return [
            f"math render pass never finished for {page.url} within {timeout_ms / 1000:.0f} s "
            "(<body data-math-page> not set: katex-init.js not loaded or threw?)"
        ]
    return []


def math_problems(page: Any) -> list[str]:
    """Check the math on the page as it is now (after :func:`wait_for_math`)."""
    facts = page.evaluate(_INSPECT_JS)
    problems: list[str] = []
    for tex in facts["unrendered"]:
        problems.append(f"arithmatex element without rendered .katex: {tex}")
    for err in facts["katexErrors"]:
        problems.append(f".katex-error element: {err}")
    if facts["mathErrors"] != "0":
        problems.append(f'<body data-math-errors="{facts["mathErrors"]}">, expected "0"')
    problems.extend(dict.fromkeys(facts["raw"]))  # both delimiters of a formula: same snippet
    for face in facts["fontErrors"]:
        problems.append(f"KaTeX font failed to load: {face}")
    if facts["arithmatex"] and not facts["katexMainLoaded"]:
        problems.append("page has math but the KaTeX_Main font is not loaded")
    return problems


def check_page(browser: Any, url: str, *, timeout_ms: float = 15_000) -> list[str]:
    """Open ``url`` in a fresh context and return every problem found (empty list = fine).

    Checked: every ``.arithmatex`` element holds a rendered ``.katex``; no ``.katex-error``;
    ``data-math-errors == "0"``; no raw ``\\(``, ``\\)``, ``\\[``, ``\\]``, ``$$`` (or TeX
    between ``$`` signs) in the article text outside code and TeX annotations; KaTeX fonts
    loaded; no request to a host other than 127.0.0.1/localhost; no failed request or
    HTTP error; no console error or uncaught exception.
    """
    context = new_context(browser)
    try:
        page = context.new_page()
        monitor = PageMonitor(page)
        response = page.goto(url, wait_until="load", timeout=timeout_ms)
        problems: list[str] = []
        if response is None or not response.ok:
            status = "no response" if response is None else f"HTTP {response.status}"
            return [f"could not load {url}: {status}"]
        problems += wait_for_math(page, timeout_ms)
        problems += math_problems(page)
        problems += monitor.problems()
        return problems
    finally:
        context.close()


def visible_nav_targets(page: Any) -> list[str]:
    """URL paths of visible links in Material's primary navigation, in page order."""
    return page.evaluate(
        """() => [...document.querySelectorAll("nav.md-nav--primary a.md-nav__link[href]")]
                 .filter((a) => a.offsetParent !== null && a.getClientRects().length > 0)
                 .map((a) => new URL(a.href, location.href))
                 .filter((u) => u.origin === location.origin)
                 .map((u) => u.pathname)"""
    )


def check_instant_navigation(
    browser: Any, start_url: str, target_path: str, *, timeout_ms: float = 15_000
) -> list[str]:
    """Open ``start_url``, click the primary-nav link to ``target_path`` and check that
    Material swapped the page in without a full load and that its math is rendered.

    Returns a list of problems (empty = fine), including those of the start page.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    context = new_context(browser)
    try:
        page = context.new_page()
        monitor = PageMonitor(page)
        page.goto(start_url, wait_until="load", timeout=timeout_ms)
        problems = wait_for_math(page, timeout_ms)
        problems += [f"start page: {p}" for p in math_problems(page)]

        loads: list[str] = []
        page.on("load", lambda p: loads.append(p.url))
        page.evaluate("() => { window.__gbSameDocument = true }")

        links = page.locator("nav.md-nav--primary a.md-nav__link[href]")
        hits = [
            i for i in range(links.count())
            if urlsplit(urljoin(page.url, links.nth(i).get_attribute("href") or "")).path
            == target_path and links.nth(i).is_visible()
        ]  # fmt: skip
        if not hits:
            return [*problems, f"no visible primary-nav link to {target_path} on {start_url}"]
        renders_before = page.evaluate("() => document.body.dataset.mathRenders")
        links.nth(hits[0]).click()

        try:
            page.wait_for_function(
                "(p) => location.pathname === p && document.body.dataset.mathPage === p",
                arg=target_path,
                timeout=timeout_ms,
            )
        except PlaywrightTimeoutError:
            return [
                *problems,
                f"after clicking the nav link, {target_path} was not rendered "
                f"(location is {page.url}, data-math-page is "
                f"{page.evaluate('() => document.body.dataset.mathPage')!r})",
            ]
        if loads or page.evaluate("() => window.__gbSameDocument") is not True:
            problems.append(
                "clicking the nav link caused a full page load, not instant navigation "
                "(is site_url set to the address the site is served from?)"
            )
        elif page.evaluate("() => document.body.dataset.mathRenders") == renders_before:
            problems.append("katex-init.js did not run again after instant navigation")
        problems += math_problems(page)
        problems += monitor.problems()
        return problems
    finally:
        context.close()


# --------------------------------------------------------------------------------------
# layout: narrow screens and the dark palette

PHONE = {"width": 390, "height": 844}

# Runs in the page after every <details> is opened. A formula (.katex-display) or a table is
# "cut" where a box around it (itself or an ancestor up to the article) does not show all of
# its content: that box must scroll (overflow-x auto or scroll) and show the scroll cue of
# scroll-cue.js and gradbook.css (data-gb-overflow naming the cut side, and a mask that fades
# it). Steps and result boxes must hold their content, and nothing may widen the page.
_LAYOUT_JS = r"""
async () => {
  await document.fonts.ready;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const article = document.querySelector("article") || document.body;
  const describe = (el) => {
    const text = (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 60);
    return `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} "${text}"`;
  };
  const cut = [];
  for (const el of article.querySelectorAll(".katex-display, table")) {
    for (let box = el; box && box !== article.parentElement; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.overflowX === "visible" || box.scrollWidth <= box.clientWidth + 1) continue;
      const scrolls = style.overflowX === "auto" || style.overflowX === "scroll";
      const mask = style.maskImage || style.webkitMaskImage || "";
      const side = box.dataset.gbOverflow || "";
      const cue = ["left", "right", "both"].includes(side) && mask.includes("gradient");
      if (!scrolls || !cue) {
        cut.push({what: describe(el), box: describe(box), overflowX: style.overflowX,
                  scrollWidth: box.scrollWidth, clientWidth: box.clientWidth, side, mask});
      }
    }
  }
  const clipped = [...article.querySelectorAll(".gb-step, .gb-result")]
    .filter((el) => el.scrollWidth > el.clientWidth + 1)
    .map((el) => ({what: describe(el), scrollWidth: el.scrollWidth, clientWidth: el.clientWidth}));
  const shown = [...article.querySelectorAll(".gb-figure img")]
    .filter((img) => img.getClientRects().length > 0)
    .map((img) => new URL(img.src).pathname + new URL(img.src).hash);
  return {
    pageWidth: document.scrollingElement.scrollWidth,
    viewport: window.innerWidth,
    scheme: document.body.dataset.mdColorScheme || "",
    figures: article.querySelectorAll(".gb-figure").length,
    cut, clipped, shown,
  };
}
"""


def layout_problems(page: Any) -> list[str]:
    """What is cut off without a scroll cue, clipped or too wide on the page as it is now."""
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    facts = page.evaluate(_LAYOUT_JS)
    problems = [
        f"{c['what']} is cut by {c['box']} (overflow-x {c['overflowX']}, {c['scrollWidth']} px of "
        f"content in {c['clientWidth']} px) without a scroll cue (data-gb-overflow={c['side']!r}, "
        f"mask {c['mask'][:40]!r})"
        for c in facts["cut"]
    ]
    problems += [f"{c['what']} clips its content ({c['scrollWidth']} px in {c['clientWidth']} px)"
                 for c in facts["clipped"]]
    if facts["pageWidth"] > facts["viewport"]:
        problems.append(f"the page scrolls sideways: {facts['pageWidth']} px wide in a "
                        f"{facts['viewport']} px viewport")
    wanted = "#only-dark" if facts["scheme"] == "slate" else "#only-light"
    if len(facts["shown"]) != facts["figures"] or not all(src.endswith(wanted) for src in facts["shown"]):
        problems.append(f"palette {facts['scheme']!r}: {facts['figures']} figure(s), images shown: "
                        f"{facts['shown']} (expected one {wanted} image each)")
    return problems


def check_layout(
    browser: Any, url: str, *, viewport: dict[str, int] = PHONE, color_scheme: str = "light",
    timeout_ms: float = 15_000,
) -> list[str]:
    """Open ``url`` at ``viewport`` in the ``color_scheme`` palette; every problem of
    :func:`layout_problems` (empty = the page fits and every cut formula or table shows its cue)."""
    context = new_context(browser, viewport=viewport, color_scheme=color_scheme)
    try:
        page = context.new_page()
        response = page.goto(url, wait_until="load", timeout=timeout_ms)
        if response is None or not response.ok:
            return [f"could not load {url}"]
        return wait_for_math(page, timeout_ms) + layout_problems(page)
    finally:
        context.close()
