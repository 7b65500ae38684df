from django.http import HttpRequest

from sinergi.core.nav import navigation_items


def navigation(request: HttpRequest) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": navigation_items()}
