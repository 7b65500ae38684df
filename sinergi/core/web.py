"""Turning domain errors into page responses, so that views stay short."""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sinergi.core.errors import DomainError, Forbidden, NotFound


def domain_errors_as_pages(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """NotFound -> 404, Forbidden -> 403 page; other domain errors are left to the view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.detail) from exc
        except Forbidden as exc:
            return render(request, "403.html", {"detail": exc.detail}, status=403)
        except DomainError as exc:
            return render(request, "400.html", {"detail": exc.detail}, status=exc.status)

    return wrapper
