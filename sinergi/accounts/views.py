from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from sinergi.accounts.forms import ThrottledLoginForm
from sinergi.accounts.models import AuthedRequest
from sinergi.accounts.notifications import mark_read


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("agency", "area").order_by("area_id")
    tokens = request.user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at")
    return render(request, "accounts/profile.html", {"memberships": memberships, "tokens": tokens})


@login_required
def notifications(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        mark_read(user=request.user)
        return redirect("accounts:notifications")
    items = request.user.notifications.all()[:100]
    return render(request, "accounts/notifications.html", {"items": items})
