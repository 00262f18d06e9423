"""`briefgen preview`: the HTML brief served on 127.0.0.1, seen in headless Chromium. A saved edit
to a module shows in the page within 2 seconds, a broken spec shows its one-line error there, the
next good save brings the brief back, and Ctrl-C (SIGINT) ends the process cleanly."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.clients

SPEC = ("title: Previewed\ndate: 2026-11-23\naudience: analyst\nformats: [md]\nlength: 300 words\n"
        "modules: [{id: alpha, variant: brief}]\n")


def page_text(browser) -> str:
    try:
        return browser.execute_script("return document.body ? document.body.innerText : ''")
    except Exception:   # the page is reloading under us
        return ""


def seen_within(browser, text: str, seconds: float) -> float | None:
    """Seconds until ``text`` is in the page, or None if not within ``seconds``."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if text in page_text(browser):
            return time.monotonic() - start
        time.sleep(0.05)
    return None


def test_preview_reloads_on_save_shows_errors_and_stops_on_ctrl_c(fixture_ws: Path, browser) -> None:
    spec = fixture_ws / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "preview", str(spec)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True)
    reader.start()
    try:
        url = None
        while url is None:
            line = lines.get(timeout=60)
            if line.startswith("serving "):
                url = line.split()[1]
        assert url.startswith("http://127.0.0.1:")
        browser.get(url)
        assert "Moscow brokered it" in page_text(browser) and "Previewed" in browser.title

        module = fixture_ws / "content" / "modules" / "alpha.md"
        module.write_text(module.read_text(encoding="utf-8").replace("Moscow brokered it", "Moscow mediated it"),
                          encoding="utf-8")
        took = seen_within(browser, "Moscow mediated it", 5)
        assert took is not None and took < 2.0, took
        print(f"the edit showed in the page after {took:.2f} s")

        spec.write_text(SPEC.replace("alpha", "alpah"), encoding="utf-8")
        assert seen_within(browser, "unknown module 'alpah'", 5) is not None
        error = browser.find_element("id", "briefgen-error").text
        assert error.startswith(f"briefgen: spec error: {spec}:6:") and "\n" not in error, error

        spec.write_text(SPEC.replace("Previewed", "Previewed again"), encoding="utf-8")
        assert seen_within(browser, "Previewed again", 5) is not None
        assert "Moscow mediated it" in page_text(browser)
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(15)
    reader.join(5)
    err = proc.stderr.read()
    assert code == 0, err
    assert "Traceback" not in err and "unknown module 'alpah'" in err
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    assert rest[-1:] == ["briefgen preview: stopped\n"]


def test_a_port_in_use_is_one_line_and_exit_2(fixture_ws: Path) -> None:
    import socket

    spec = fixture_ws / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "briefgen", "preview", str(spec), "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith(f"briefgen: error: cannot serve on 127.0.0.1:{port}") and \
        done.stderr.count("\n") == 1, done.stderr
