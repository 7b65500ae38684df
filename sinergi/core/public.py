"""Public pages (no login) are cached as one copy per URL, by Django and by the reverse proxy, so their
language must come from the URL (`?bahasa=en`), never from a cookie: Indonesian unless the link asks."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

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
            with translation.override(language):
                response = view(request, *args, **kwargs)
                render = getattr(response, "render", None)
                if render is not None and not response.is_rendered:  # type: ignore[attr-defined]
                    render()
            response["Content-Language"] = language
            response["Cache-Control"] = f"public, max-age={max_age}"
            return response

        return wrapped

    return decorate


def public_url(path: str, language: str) -> str:
    """A link to a public page that keeps the reader's language."""
    if language == settings.LANGUAGE_CODE:
        return path
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}{LANGUAGE_PARAM}={language}"
