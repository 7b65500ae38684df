import pytest

from sinergi.accounts.access import Policy, scopes
from sinergi.accounts.models import Agency
from sinergi.accounts.roles import Role
from sinergi.accounts.selectors import covering_agency
from sinergi.accounts.services import membership_grant
from sinergi.areas.models import Area
from sinergi.core.errors import Forbidden, NotFound
from testkit.builders import user_make

POLICY = Policy(
    name="thing", read=frozenset({Role.COORDINATOR, Role.FIELD_OFFICER}), write=frozenset({Role.FIELD_OFFICER})
)


@pytest.mark.django_db
def test_check_gives_404_outside_and_403_when_read_only(personas):
    POLICY.check(personas.field_officer, "64.02.06.1001", write=True)
    with pytest.raises(NotFound):
        POLICY.check(personas.field_officer, "64.02.05")
    with pytest.raises(Forbidden):
        POLICY.check(personas.coordinator, "64.02.06", write=True)
    with pytest.raises(NotFound):
        POLICY.check(personas.outsider, "64.02")


@pytest.mark.django_db
def test_visible_filters_by_scope_and_national_admin_sees_all(personas):
    visible = POLICY.visible(Area.objects.all(), personas.field_officer, "code")
    assert set(visible.values_list("code", flat=True)) == {"64.02.06", "64.02.06.1001", "64.02.06.2001"}
    assert POLICY.visible(Area.objects.all(), personas.national_admin, "code").count() == Area.objects.count()
    assert not POLICY.visible(Area.objects.all(), personas.outsider, "code").exists()


@pytest.mark.django_db
def test_nested_scopes_collapse(personas):
    user = user_make("dua", Role.COORDINATOR, "64.02", "kesbangpol-kukar")
    membership_grant(
        user=user, agency=Agency.objects.get(code="kesbangpol-kukar"), role=Role.COORDINATOR, area_code="64.02.06"
    )
    assert scopes(user, {Role.COORDINATOR}) == ["64.02"]


@pytest.mark.django_db
def test_most_specific_jurisdiction_wins(world):
    def code(area: str, kinds: list[str]) -> str | None:
        agency = covering_agency(area, kinds)
        return agency.code if agency else None

    assert code("64.02.05.2001", ["polres"]) == "polres-bontang"
    assert code("64.02.06.2001", ["polres"]) == "polres-kukar"
    assert code("64.02.06.2001", ["polsek", "polres"]) == "polsek-tenggarong"
    assert covering_agency("64.72.01", ["polres"]) is None
