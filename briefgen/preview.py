"""``briefgen preview``: the HTML brief served on 127.0.0.1, rebuilt as its inputs change.

The page polls ``/version`` and reloads itself (keeping its scroll position) when a rebuild has
finished. A build that fails shows its one-line error in the page instead of the brief, and the
next good save brings the brief back. Watching is ``watch.watch_inputs``; the page is the HTML
writer's own, with the small reload script added before ``</body>``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from .cache import Cache
from .errors import BriefgenError, BuildWarning
from .request import BuildRequest
from .gcpolicy import after_brief
from .watch import watch_inputs

__all__ = ["serve_preview", "PreviewPage", "HOST"]

HOST = "127.0.0.1"
POLL_MS = 300

_RELOAD = """<script>
(function () {
  var version = "%s", key = "briefgen-preview-scroll", y = sessionStorage.getItem(key);
  if (y !== null) { sessionStorage.removeItem(key); window.scrollTo(0, Number(y)); }
  function poll() {
    fetch("/version", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (v) {
      if (v !== version) { sessionStorage.setItem(key, String(window.scrollY)); location.reload(); }
      else { setTimeout(poll, %d); }
    }).catch(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, %d);
})();
</script>
"""

_ERROR_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>briefgen preview: build failed</title>
<style>body {{ font-family: sans-serif; max-width: 48em; margin: 2em auto; padding: 0 1em; color: #1a1a1a; }}
pre {{ white-space: pre-wrap; background: #fdecea; border-left: 4px solid #b3261e; padding: 0.8em 1em; }}</style>
</head>
<body>
<main>
<h1>The brief did not build</h1>
<pre id="briefgen-error" role="alert">{error}</pre>
<p>Fix the file and save it: this page reloads when the brief builds again.</p>
</main>
</body>
</html>
"""


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class PreviewPage:
    """What the server shows: the latest page and a version that changes with every rebuild."""
    version: int = 0
    html: bytes = b""
    error: str = ""

    def set(self, html: str, error: str = "") -> None:
        script = _RELOAD % (self.version + 1, POLL_MS, POLL_MS)
        at = html.rfind("</body>")
        html = html[:at] + script + html[at:] if at >= 0 else html + script
        self.html, self.error = html.encode("utf-8"), error
        self.version += 1    # last: a poll that sees the new version gets the new page


def error_line(exc: BriefgenError) -> str:
    """The error as the command line prints it."""
    return f"briefgen: {exc.kind}: {exc}"


def _handler(page: PreviewPage) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            path = self.path.split("?", 1)[0]
            if path == "/version":
                self._send(str(page.version).encode("ascii"), "text/plain; charset=utf-8")
            elif path in ("/", "/index.html"):
                self._send(page.html, "text/html; charset=utf-8")
            else:
                self._send(b"not found", "text/plain; charset=utf-8", status=404)

        def _send(self, body: bytes, kind: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:  # noqa: A002, ANN002 (quiet: one poll a third of a second)
            pass

    return Handler


def serve_preview(spec: Path, *, port: int = 0, workspace: Path | None = None,
                  report: Callable[[str], None], warn: Callable[[list[BuildWarning]], None],
                  error: Callable[[str], None], stop: threading.Event | None = None,
                  debounce: float = 0.15, cache: Cache | None = None) -> None:
    """Serve the brief built from ``spec`` as HTML on ``HOST:port`` (0: a free port), rebuilding on
    every change, until ``stop`` is set (the CLI sets it on Ctrl-C). ``report`` is told the URL
    once the first build is served; ``error`` gets each failed build's one line. One ``cache``
    (default: the user's) serves every rebuild."""
    from .pipeline import prepare_brief
    from .writers.html import render_html

    stop = stop or threading.Event()
    cache = cache if cache is not None else Cache.for_user()
    request = BuildRequest.of(formats="html", workspace=workspace)
    page = PreviewPage()

    def rebuild() -> None:
        try:
            brief = prepare_brief(spec, request, cache=cache)
            html, warnings = render_html(brief.assembly.document, brief.theme)
            warn([*brief.warnings, *(BuildWarning(w) for w in warnings)])
            page.set(html)
            report(f"rebuilt ({page.version})")
        except BriefgenError as exc:
            line = error_line(exc)
            page.set(_ERROR_PAGE.format(error=_esc(line)), error=line)
            error(line)
        after_brief()

    try:
        server = ThreadingHTTPServer((HOST, port), _handler(page))
    except OSError as exc:
        raise BriefgenError(f"cannot serve on {HOST}:{port}: {exc.strerror or exc}",
                            hint="choose another --port, or leave it out for a free one") from None
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    url = f"http://{HOST}:{server.server_address[1]}/"
    try:
        watch_inputs(spec, workspace, rebuild, stop=stop, debounce=debounce,
                     started=lambda root: report(f"serving {url} (Ctrl-C to stop)"))
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
