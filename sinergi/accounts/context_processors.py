from django.http import HttpRequest

from sinergi.accounts.access import memberships_of
from sinergi.core.formatting import NATION


def user_area(request: HttpRequest) -> dict:
    """`user_area`: the code of the user's own area, so that what has no area of its own (a notification)
    is shown in its zone (`{{ n.created_at|local:user_area }}`: WITA for a Kukar user); the nation (WIB)
    without one. Here and not in core's navigation: memberships are accounts'."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_area": NATION}
    return {"user_area": lambda: next((area for _role, area, _agency in memberships_of(user)), NATION)}
