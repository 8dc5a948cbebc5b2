"""``ficshelf serve``: refuses to serve beyond loopback without a password, and
serves the library on loopback (a real uvicorn process on a free port)."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from browser.webfixtures import free_port
from ficshelf.cli import main


def test_refuses_public_address_without_password(capsys: pytest.CaptureFixture[str],
                                                 library: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FICSHELF_PASSWORD", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--library", str(library), "--host", "0.0.0.0"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err == ("ficshelf: error: refusing to serve on 0.0.0.0 without a password: pass "
                   "--password (or FICSHELF_PASSWORD), or bind to 127.0.0.1")
    assert "\n" not in err


def test_serves_on_loopback(library: Path) -> None:
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("FICSHELF_PASSWORD", None)
    proc = subprocess.Popen([sys.executable, "-m", "ficshelf", "serve", "--library", str(library),
                             "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env, text=True)
    try:
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/", headers={"Accept": "text/html"})
                resp = conn.getresponse()
                status, body = resp.status, resp.read()
                csp = resp.getheader("Content-Security-Policy")
                conn.close()
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200, proc.stdout.read() if proc.poll() is not None and proc.stdout else ""
        assert b"Your library is empty" in body and csp and "default-src 'self'" in csp
    finally:
        proc.terminate()
        try:
            out, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert f"serving {library} at http://127.0.0.1:{port}/" in out
