from django.http import HttpRequest

from sinergi.accounts.access import memberships_of
from sinergi.core.formatting import NATION
from sinergi.core.nav import navigation_items


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_area": NATION}
    items = [(label, url, url != "/" and request.path.startswith(url)) for label, url in navigation_items(user)]
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_items": items, "unread_notifications": unread, "user_area": lambda: user_area(user)}


def user_area(user: object) -> str:
    """The code of the user's own area: what has no area of its own (a notification) is shown in its
    zone (`{{ n.created_at|local:user_area }}`: WITA for a Kukar user). The nation (WIB) without one."""
    return next((area for _role, area, _agency in memberships_of(user)), NATION)
