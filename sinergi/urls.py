from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from sinergi.accounts.forms import ThrottledAdminLoginForm
from sinergi.api import api
from sinergi.core import views as core_views
from sinergi.ops.views import readyz
from sinergi.situation.views import home


def _national_admin_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _national_admin_only  # type: ignore[method-assign]
# The admin's own login page counts failures like /akun/masuk/ (else an unthrottled guess at the admin).
admin.site.login_form = ThrottledAdminLoginForm
admin.site.site_header = "Sinergi"

# Under /api/ these answer JSON (see core/views.py); elsewhere Django's templates (400/403/404/500.html).
handler400 = "sinergi.core.views.bad_request"
handler403 = "sinergi.core.views.permission_denied"
handler404 = "sinergi.core.views.page_not_found"
handler500 = "sinergi.core.views.server_error"

urlpatterns = [
    # Where everyone lands after signing in (leaders: their area's situation room; see situation/landing.py).
    path("", home, name="home"),
    path("", include("sinergi.core.urls")),
    path("akun/", include("sinergi.accounts.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("readyz", readyz, name="readyz"),
]

# Each domain app mounts its pages under the prefix it declares in its own urls.py.
for app in settings.SINERGI_APPS:
    if app in ("sinergi.core", "sinergi.accounts") or find_spec(f"{app}.urls") is None:
        continue
    module = import_module(f"{app}.urls")
    urlpatterns.append(path(f"{module.URL_PREFIX}/", include(module)))
