from django.http import HttpRequest

from sinergi.core.nav import navigation_items


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(label, url, url != "/" and request.path.startswith(url)) for label, url in navigation_items(user)]
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_items": items, "unread_notifications": unread}

