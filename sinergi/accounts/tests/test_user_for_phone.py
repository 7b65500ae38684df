import pytest

from sinergi.accounts.selectors import user_for_phone


@pytest.mark.django_db
def test_a_phone_is_found_in_any_notation_with_one_query(personas, django_assert_num_queries):
    personas.field_officer.phone = "0812-1111 2222"
    personas.field_officer.save(update_fields=["phone"])
    with django_assert_num_queries(1):
        assert user_for_phone("+62 812 1111 2222") == personas.field_officer
    assert user_for_phone("6281211112222") == personas.field_officer
    assert user_for_phone("081299998888") is None
    assert user_for_phone("12") is None


@pytest.mark.django_db
def test_an_inactive_user_is_not_a_sender(personas):
    personas.outsider.phone = "081355556666"
    personas.outsider.is_active = False
    personas.outsider.save()
    assert user_for_phone("081355556666") is None
