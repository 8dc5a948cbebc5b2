"""The web app's safety rules, in one place.

- **Headers** on every response: a strict Content-Security-Policy (scripts and
  styles only from the app's own static files, no inline script, no plugins,
  no framing, no ``<base>``, forms only to the app), ``nosniff``, a referrer
  policy, and a ``Server-Timing`` entry with the time spent in the app.
- **CSRF**: every visitor gets a random ``ficshelf_csrf`` cookie; the token
  is an HMAC of it under the app's secret. A request that changes data must
  carry the token (form field ``csrf_token`` or header ``X-CSRF-Token``)
  matching its cookie (``csrf_protected`` endpoints check it). A request
  authenticated by an ``Authorization: Bearer`` token (never sent by a browser
  on its own) needs none. Cross-site requests that change data are refused
  outright (``Origin`` / ``Sec-Fetch-Site``).
- **Uploads**: request bodies over the limit get a 413 page, checked against
  ``Content-Length`` first and counted as the body streams in.
- **Password**: when one is set, every request must carry it: the session
  cookie set by ``/login``, or HTTP Basic / Bearer credentials (for OPDS
  readers and scripts). ``check_bind`` refuses to serve anywhere but
  loopback without one.

>>> check_bind("127.0.0.1", None) is None, check_bind("localhost", None) is None
(True, True)
>>> check_bind("0.0.0.0", None)
Traceback (most recent call last):
...
ficshelf.errors.InputError: refusing to serve on 0.0.0.0 without a password: pass --password (or FICSHELF_PASSWORD), or bind to 127.0.0.1
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import ipaddress
import os
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Final
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ficshelf.errors import InputError, StoreError
from ficshelf.web.timing import start_request

__all__ = [
    "AUTH_COOKIE",
    "CSP",
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "DEFAULT_MAX_UPLOAD",
    "SECURITY_HEADERS",
    "BodyTooLarge",
    "SecurityMiddleware",
    "SecurityOptions",
    "auth_cookie_value",
    "check_bind",
    "csrf_protected",
    "csrf_token_for",
    "is_loopback",
    "load_secret",
    "password_matches",
]

CSRF_COOKIE: Final = "ficshelf_csrf"
AUTH_COOKIE: Final = "ficshelf_auth"
CSRF_FIELD: Final = "csrf_token"
CSRF_HEADER: Final = "x-csrf-token"
DEFAULT_MAX_UPLOAD: Final = 50 * 1024 * 1024
SECRET_FILE: Final = ".web-secret"

CSP: Final = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
              "base-uri 'none'; form-action 'self'")
SECURITY_HEADERS: Final = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)
_COOKIE_VALUE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
_UNSAFE: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_OPEN_PATHS: Final = ("/login", "/static/")


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach."""
    host = host.strip().strip("[]")
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, password: str | None) -> None:
    """Refuse (``InputError``) to serve beyond loopback without a password."""
    if not is_loopback(host) and not (password and password.strip()):
        raise InputError(f"refusing to serve on {host} without a password: pass --password "
                         "(or FICSHELF_PASSWORD), or bind to 127.0.0.1")


def load_secret(folder: str | os.PathLike[str]) -> bytes:
    """The app's signing key, kept in the library folder (created on first use, mode 0600)."""
    path = Path(folder) / SECRET_FILE
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the web app's key ({exc.strerror or exc})") from exc
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write the web app's key ({exc.strerror or exc}); "
                         "check the library folder is writable") from exc
    return key


def _sign(secret: bytes, label: str, value: str) -> str:
    mac = hmac.new(secret, f"{label}:{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def csrf_token_for(secret: bytes, cookie: str) -> str:
    """The CSRF token that goes with a ``ficshelf_csrf`` cookie value."""
    return _sign(secret, "csrf", cookie)


def auth_cookie_value(secret: bytes, password: str) -> str:
    """The session cookie ``/login`` sets: it changes when the password does."""
    return _sign(secret, "auth", hashlib.sha256(password.encode()).hexdigest())


def password_matches(given: str, password: str) -> bool:
    return hmac.compare_digest(hashlib.sha256(given.encode()).digest(),
                               hashlib.sha256(password.encode()).digest())


@dataclass(frozen=True, kw_only=True, slots=True)
class SecurityOptions:
    secret: bytes
    password: str | None = None
    max_upload: int = DEFAULT_MAX_UPLOAD


class BodyTooLarge(Exception):
    """The request body passed the upload limit."""


def _cookies(scope: Scope) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is ignored, never fatal
                continue
            out.update({k: m.value for k, m in jar.items()})
    return out


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _megabytes(n: int) -> str:
    """``52428800`` -> ``"50 MB"``; small limits in KB.

    >>> _megabytes(50 * 1024 * 1024), _megabytes(4096)
    ('50 MB', '4 KB')
    """
    if n < 1024 * 1024:
        return f"{n / 1024:.3g} KB"
    return f"{n / (1024 * 1024):.3g} MB"


class SecurityMiddleware:
    """ASGI middleware applying the rules in this module's docstring."""

    def __init__(self, app: ASGIApp, *, options: SecurityOptions,
                 render_error: Callable[[Scope, int, str], Response]) -> None:
        self.app = app
        self.options = options
        self.render_error = render_error

    def _authorized(self, scope: Scope, cookies: dict[str, str]) -> tuple[bool, bool]:
        """(allowed, by_bearer_token)."""
        password = self.options.password
        auth = _header(scope, b"authorization") or ""
        scheme, _, cred = auth.partition(" ")
        if password is None:
            return True, scheme.lower() == "bearer" and bool(cred.strip())
        if scheme.lower() == "bearer" and password_matches(cred.strip(), password):
            return True, True
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(cred.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                decoded = ""
            _, _, given = decoded.partition(":")
            if given and password_matches(given, password):
                return True, False
        cookie = cookies.get(AUTH_COOKIE, "")
        if cookie and hmac.compare_digest(cookie, auth_cookie_value(self.options.secret, password)):
            return True, False
        return False, False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        times = start_request()
        cookies = _cookies(scope)
        csrf_cookie = cookies.get(CSRF_COOKIE, "")
        new_cookie = not _COOKIE_VALUE.match(csrf_cookie)
        if new_cookie:
            csrf_cookie = secrets.token_urlsafe(32)
        state = scope.setdefault("state", {})
        state["csrf_token"] = csrf_token_for(self.options.secret, csrf_cookie)
        state["csrf_cookie"] = csrf_cookie
        path: str = scope.get("path", "/")
        method: str = scope.get("method", "GET")
        allowed, bearer = self._authorized(scope, cookies)
        state["bearer"] = bearer
        state["password_set"] = self.options.password is not None
        response_started = False

        async def send_wrapped(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in {h for h, _ in SECURITY_HEADERS}]
                headers.extend(SECURITY_HEADERS)
                elapsed = (time.perf_counter() - started) * 1000
                parts = [f"app;dur={elapsed:.2f}"]
                parts += [f"{name};dur={ms:.2f}" for name, ms in sorted(times.items())]
                headers.append((b"server-timing", ", ".join(parts).encode()))
                if new_cookie:
                    headers.append((b"set-cookie", (
                        f"{CSRF_COOKIE}={csrf_cookie}; Path=/; HttpOnly; SameSite=Lax").encode()))
                message = {**message, "headers": headers}
            await send(message)

        async def refuse(status: int, text: str) -> None:
            response = self.render_error(scope, status, text)
            if status == 401 and self.options.password is not None:
                response.headers["WWW-Authenticate"] = 'Basic realm="ficshelf", charset="UTF-8"'
            await response(scope, receive, send_wrapped)

        if not allowed and not path.startswith(_OPEN_PATHS):
            accept = _header(scope, b"accept") or ""
            if method == "GET" and "text/html" in accept and not path.startswith(("/api", "/opds")):
                target = path + ("?" + scope["query_string"].decode("latin-1")
                                 if scope.get("query_string") else "")
                await send_wrapped({"type": "http.response.start", "status": 303, "headers": [
                    (b"location", f"/login?next={quote(target, safe='')}".encode()),
                    (b"content-type", b"text/plain; charset=utf-8")]})
                await send_wrapped({"type": "http.response.body", "body": b"Log in first."})
                return
            await refuse(401, "This library is protected by a password: log in, or send it "
                              "as HTTP Basic or Bearer credentials.")
            return
        if method in _UNSAFE and not bearer:
            site = (_header(scope, b"sec-fetch-site") or "").lower()
            origin = _header(scope, b"origin")
            host = _header(scope, b"host") or ""
            if site == "cross-site" or (origin and origin != "null"
                                         and origin.split("://", 1)[-1] != host):
                await refuse(403, "Requests from other sites cannot change this library.")
                return
        limit = self.options.max_upload
        length = _header(scope, b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await refuse(413, f"That upload is larger than the limit of {_megabytes(limit)}; "
                              "import fewer files at a time, or start ficshelf serve with a "
                              "larger --max-upload.")
            return
        received = 0

        async def receive_counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        try:
            await self.app(scope, receive_counted, send_wrapped)
        except BodyTooLarge:
            if response_started:
                raise
            await refuse(413, f"That upload is larger than the limit of {_megabytes(limit)}; "
                              "import fewer files at a time, or start ficshelf serve with a "
                              "larger --max-upload.")


Handler = Callable[[Request, FormData], Awaitable[Response]]


def csrf_protected(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Wrap an endpoint that changes data: parse its form (with the upload limit
    as part size) and check the CSRF token before the handler sees anything."""

    @functools.wraps(handler)
    async def endpoint(request: Request) -> Response:
        limit = int(request.app.state.max_upload)
        form = await request.form(max_part_size=limit, max_files=1000, max_fields=1000)
        try:
            if not request.state.bearer:
                given = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
                expected = csrf_token_for(request.app.state.secret, request.state.csrf_cookie)
                if not isinstance(given, str) or not hmac.compare_digest(given, expected):
                    refuse: Callable[[Request, int, str], Response] = request.app.state.error_response
                    return refuse(request, 403, "This form has expired or did not come from this "
                                  "library (missing or wrong security token). Go back, reload the "
                                  "page and try again.")
            return await handler(request, form)
        finally:
            await form.close()

    endpoint.__csrf_protected__ = True  # type: ignore[attr-defined]
    return endpoint
