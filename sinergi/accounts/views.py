from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.access import memberships_of
from sinergi.accounts.forms import ThrottledLoginForm
from sinergi.accounts.guards import PUBLIC, SIGNED_IN, Guard, guarded, page
from sinergi.accounts.models import AuthedRequest
from sinergi.accounts.notifications import mark_read
from sinergi.accounts.permissions import TOKENS
from sinergi.accounts.tokens import token_revoke


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True


login = page(PUBLIC)(cast(Callable[..., HttpResponse], LoginView.as_view()))
# Logging out is harmless for anyone: an expired session's "Keluar" button still lands on the login page.
logout = page(PUBLIC)(cast(Callable[..., HttpResponse], auth_views.LogoutView.as_view()))


@page(SIGNED_IN)
def profile(request: AuthedRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("agency", "area").order_by("area_id")
    live_tokens = TOKENS.visible(request.user).filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
    context = {"memberships": memberships, "token_count": live_tokens.count()}
    return render(request, "accounts/profile.html", context)


@page(SIGNED_IN)
def tokens(request: AuthedRequest) -> HttpResponse:
    items = TOKENS.visible(request.user).order_by("-created_at", "-pk")
    now = timezone.now()
    rows = [(token, token.status(now)) for token in items]
    context = {
        "rows": rows,
        "token_days": settings.SINERGI_TOKEN_DAYS,
        "username": request.user.username,
        # Times in the zone of the user's own area (WITA for Kukar), as every other page shows them.
        "zone_area": next((area for _role, area, _agency in memberships_of(request.user)), "ID"),
    }
    return render(request, "accounts/tokens.html", context)


@page(Guard(TOKENS, "pk"))
@require_POST
def token_revoke_view(request: AuthedRequest, pk: int) -> HttpResponse:
    token = guarded(request, TOKENS)
    if token_revoke(token=token, actor=request.user):
        messages.success(request, _("Token sng_%(prefix)s_… dicabut.") % {"prefix": token.prefix})
    return redirect("accounts:tokens")


@page(SIGNED_IN)
def notifications(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        mark_read(user=request.user)
        return redirect("accounts:notifications")
    items = request.user.notifications.all()[:100]
    return render(request, "accounts/notifications.html", {"items": items})
