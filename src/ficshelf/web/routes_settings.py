"""Saved filters, the tag blocklist, and logging in when a password is set."""

from __future__ import annotations

from typing import Final
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ficshelf.web.context import render, safe_next, web
from ficshelf.web.security import AUTH_COOKIE, auth_cookie_value, csrf_protected, password_matches

__all__ = ["ROUTES"]


def settings_page(request: Request) -> Response:
    ctx = web(request)
    return render(request, "settings.html", page_title="Saved filters and blocked tags",
                  saved_filters=ctx.prefs.filters(), blocklist=ctx.prefs.blocklist(),
                  tag_kinds=("fandom", "relationship", "character", "freeform", "warning",
                             "rating", "category"))


def _back(form: FormData, default: str = "/settings") -> Response:
    return RedirectResponse(safe_next(str(form.get("next") or ""), default), status_code=303)


@csrf_protected
async def block(request: Request, form: FormData) -> Response:
    tag = str(form.get("tag") or "").strip()
    kind = str(form.get("kind") or "").strip()
    web(request).prefs.block(f"{kind}:{tag}" if kind and ":" not in tag else tag)
    return _back(form)


@csrf_protected
async def unblock(request: Request, form: FormData) -> Response:
    web(request).prefs.unblock(str(form.get("tag") or ""))
    return _back(form)


@csrf_protected
async def save_filter(request: Request, form: FormData) -> Response:
    query = str(form.get("query") or "")
    web(request).prefs.save_filter(str(form.get("name") or ""), query)
    return RedirectResponse("/?" + query if query else "/", status_code=303)


@csrf_protected
async def delete_filter(request: Request, form: FormData) -> Response:
    web(request).prefs.delete_filter(str(form.get("name") or ""))
    return _back(form)


def login_page(request: Request) -> Response:
    return render(request, "login.html", page_title="Log in",
                  next=safe_next(request.query_params.get("next")), error=None)


@csrf_protected
async def login(request: Request, form: FormData) -> Response:
    ctx = web(request)
    target = safe_next(str(form.get("next") or ""))
    if ctx.password is None:
        return RedirectResponse(target, status_code=303)
    if not password_matches(str(form.get("password") or ""), ctx.password):
        return render(request, "login.html", status=401, page_title="Log in", next=target,
                      error="That is not the password this library was started with.")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(AUTH_COOKIE, auth_cookie_value(ctx.secret, ctx.password),
                        max_age=30 * 24 * 3600, httponly=True, samesite="lax")
    return response


@csrf_protected
async def logout(request: Request, form: FormData) -> Response:
    response = RedirectResponse("/login?next=" + quote("/", safe=""), status_code=303)
    response.delete_cookie(AUTH_COOKIE)
    return response


ROUTES: Final = [
    Route("/settings", settings_page, name="settings"),
    Route("/blocklist/add", block, methods=["POST"], name="block"),
    Route("/blocklist/remove", unblock, methods=["POST"], name="unblock"),
    Route("/filters/save", save_filter, methods=["POST"], name="save_filter"),
    Route("/filters/delete", delete_filter, methods=["POST"], name="delete_filter"),
    Route("/login", login_page, name="login"),
    Route("/login", login, methods=["POST"], name="login_post"),
    Route("/logout", logout, methods=["POST"], name="logout"),
]
