"""Public pages (no login) are cached as one copy per URL, by Django and by the reverse proxy, so their
language must come from the URL (`?bahasa=en`), never from a cookie: Indonesian unless the link asks,
and they must not depend on who asks (they are rendered for an anonymous user, without the session)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from sinergi.core.cache import shared_read

LANGUAGE_PARAM = "bahasa"


def language_of(request: HttpRequest) -> str:
    chosen = request.GET.get(LANGUAGE_PARAM, "")
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def public_page(max_age: int) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Render the view in the URL's language and let any cache keep the answer for `max_age` seconds."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            language = language_of(request)
            request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
            request.public_page = True  # type: ignore[attr-defined]
            # The same bytes for everyone: nothing below may read the session (no `Vary: Cookie`, no
            # cookie set), so the reverse proxy can keep one copy per address (deploy/nginx/sinergi.conf).
            request.user = AnonymousUser()
            with translation.override(language):
                response = view(request, *args, **kwargs)
                render = getattr(response, "render", None)
                if render is not None and not response.is_rendered:  # type: ignore[attr-defined]
                    render()
            response["Content-Language"] = language
            response["Cache-Control"] = f"public, max-age={max_age}, stale-while-revalidate={max_age}"
            return response

        wrapped.public_max_age = max_age  # type: ignore[attr-defined]  # the proxy caches these (test_proxy_cache)
        return wrapped

    return decorate


class _NotStored(Exception):
    """A page that is not a plain 200 (a 404, a redirect) is answered as it is and never stored."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__()
        self.response = response


def shared_page(
    fresh_seconds: int, stale_seconds: int
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Keep the rendered page per language and address in the shared cache (`core.cache.shared_read`):
    one process at a time renders it, the others get the stored bytes. Goes under `public_page` (it
    renders in the address's language) and only on pages that depend on nothing but the address."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)

            def render_page() -> tuple[bytes, str]:
                response = view(request, *args, **kwargs)
                render = getattr(response, "render", None)
                if render is not None and not response.is_rendered:  # type: ignore[attr-defined]
                    render()
                if response.status_code != 200 or response.streaming:
                    raise _NotStored(response)
                return response.content, response["Content-Type"]

            key = f"page:{translation.get_language()}:{request.get_full_path()}"
            try:
                content, content_type = shared_read(
                    key, render_page, fresh_seconds=fresh_seconds, stale_seconds=stale_seconds
                )
            except _NotStored as refused:
                return refused.response
            return HttpResponse(content, content_type=content_type)

        return wrapped

    return decorate


def public_url(path: str, language: str) -> str:
    """A link to a public page that keeps the reader's language."""
    if language == settings.LANGUAGE_CODE:
        return path
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}{LANGUAGE_PARAM}={language}"
