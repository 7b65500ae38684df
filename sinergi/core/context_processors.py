from django.http import HttpRequest

from sinergi.core.nav import navigation_items


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {
        "nav_items": navigation_items(),
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
    }
