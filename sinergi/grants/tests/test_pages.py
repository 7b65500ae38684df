"""The overview, one agreement, the export and the public page: content and pinned query counts."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from sinergi.conftest import client_for
from sinergi.grants import services
from sinergi.grants.tests.factories import ELECTION, agreement_make, post
from testkit.html import table_rows, text_of

pytestmark = pytest.mark.django_db

RECIPIENTS = ["kpu-kukar", "bawaslu-kukar", "polres-kukar", "kodim-0906", "polres-bontang", "kodim-0908"]


def make_six(users) -> list:
    made = []
    for index, code in enumerate(RECIPIENTS):
        a = agreement_make(users["finance"], recipient=code, amount=str(1000 * (index + 1)), policy="41-2020-bertahap")
        post(users["finance"], a, "disbursement", str(400 * (index + 1)), f"d{index}")
        made.append(a)
    return made


def test_overview_shows_each_recipient_with_balances_and_next_tranche(users):
    agreements = make_six(users)
    post(users["kpu"], agreements[0], "spending", "100", "s0")
    page = client_for(users["finance"]).get(reverse("grants:overview", args=["64.02"])).content.decode()
    assert page.count('data-recipient="') == 6
    assert "Rp 21.000" in page  # total of the six agreements
    assert "Rp 8.400" in page  # total disbursed
    assert "Tahap II 60 %" in page
    assert "25,00 %" in page  # KPU absorption: 100 of 400


# session, user, area, memberships, agreements, tranches, ratification dates (rows), reconciliation
# (agreements, figures), ratification dates (form), unread notifications
OVERVIEW_QUERIES = 11


def test_overview_query_count_does_not_grow_with_agreements(users, django_assert_num_queries):
    client = client_for(users["finance"])
    agreement_make(users["finance"], recipient="kpu-kukar")
    with django_assert_num_queries(OVERVIEW_QUERIES):
        page = client.get(reverse("grants:overview", args=["64.02"])).content.decode()
    assert page.count('data-recipient="') == 1 and text_of(page, "total-disbursed") == "Rp 0"
    for index, code in enumerate(RECIPIENTS[1:]):
        a = agreement_make(users["finance"], recipient=code, policy="54-2019")
        post(users["finance"], a, "disbursement", "10", f"d{index}")
    with django_assert_num_queries(OVERVIEW_QUERIES):
        page = client.get(reverse("grants:overview", args=["64.02"])).content.decode()
    shown = {m for m in RECIPIENTS if f'data-recipient="{m}"' in page}
    assert shown == set(RECIPIENTS) and page.count('data-recipient="') == 6
    assert text_of(page, "total-disbursed") == "Rp 50"  # five disbursements of 10


def test_agreement_page_query_count_does_not_grow_with_entries(users, django_assert_num_queries):
    a = agreement_make(users["finance"], amount="1000000")
    client = client_for(users["finance"])
    url = reverse("grants:agreement", kwargs={"election": ELECTION, "recipient": "kpu-kukar"})
    post(users["finance"], a, "disbursement", "1000", "d0")
    # session, user, agreement, memberships, entries, tranches, ratification, versions, policies (addendum
    # form), unread notifications
    with django_assert_num_queries(10):
        page = client.get(url).content
    assert len(table_rows(page, "ledger")) == 1 and text_of(page, "disbursed") == "Rp 1.000"
    for i in range(1, 30):
        post(users["finance"] if i % 2 else users["kpu"], a, "disbursement" if i % 2 else "spending", "10", f"e{i}")
    post(users["kpu"], a, "correction", None, "fix", reverses_seq=3, note="salah")
    with django_assert_num_queries(10):
        page = client.get(url).content
    assert len(table_rows(page, "ledger")) == 31  # every entry, the correction included
    assert text_of(page, "disbursed") == "Rp 1.150"  # 1.000 and fifteen disbursements of 10
    assert text_of(page, "spent") == "Rp 130"  # fourteen spendings of 10, one reversed


def test_the_province_overview_groups_by_regency_in_fixed_queries(users, django_assert_num_queries):
    make_six(users)
    client = client_for(users["finance"])
    # The region rule (permissions.REGIONS) finds the province and whether it holds a readable
    # agreement in one query (an EXISTS), where the page used to ask twice.
    with django_assert_num_queries(9):
        page = client.get(reverse("grants:overview", args=["64"])).content.decode()
    assert "Kabupaten Kutai Kartanegara" in page and "Rp 21.000" in page


def test_agreement_page_shows_schedule_ledger_and_an_inline_svg_timeline(users):
    a = agreement_make(
        users["finance"],
        amount="76055000000",
        policy="41-2020-bertahap",
        signed_on=dt.date(2023, 11, 10),
        budget_years=[(2023, "30422000000"), (2024, "45633000000")],
    )
    post(users["finance"], a, "disbursement", "30422000000", "d1", entry_date=dt.date(2023, 12, 5))
    page = (
        client_for(users["inspector"])
        .get(reverse("grants:agreement", kwargs={"election": ELECTION, "recipient": "kpu-kukar"}))
        .content.decode()
    )
    svg = page.split("<svg")[1].split("</svg>")[0]
    assert (
        'class="series-disbursed"' in svg
        and "<script" not in svg
        and "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )
    assert "Rp 30.422.000.000" in page and "Rp 45.633.000.000" in page
    assert "dibayar 5 hari terlambat" in page  # due 30 Nov 2023, paid 5 Dec
    assert "TA 2023" in page
    assert 'id="entry-form"' not in page  # the inspector only reads


def test_posting_through_the_form_accepts_indonesian_notation_and_is_idempotent(users):
    a = agreement_make(users["finance"], amount="76055000000")
    client = client_for(users["finance"])
    url = reverse("grants:entry_post", kwargs={"election": ELECTION, "recipient": "kpu-kukar"})
    form = {
        "kind": "disbursement",
        "amount": "Rp 30.422.000.000",
        "entry_date": "2024-03-20",
        "reference": "SP2D 1",
        "client_id": "form-1",
    }
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # a double submit
    a.refresh_from_db()
    assert (a.disbursed, a.entry_count) == (Decimal("30422000000"), 1)
    too_much = client.post(url, form | {"client_id": "form-2", "amount": "50.000.000.000"})
    assert too_much.status_code == 422 and "melebihi nilai NPHD" in too_much.content.decode()


def test_addendum_keeps_the_signed_version_and_regenerates_the_schedule(users):
    a = agreement_make(users["finance"], amount="1000", policy="41-2020-bertahap")
    post(users["finance"], a, "disbursement", "400", "d1")
    services.agreement_amend(
        actor=users["finance"],
        agreement_id=a.pk,
        number="ADD-1",
        signed_on=dt.date(2024, 5, 2),
        amount=Decimal(1500),
        note="tambahan PSU",
    )
    a.refresh_from_db()
    assert (a.amount, a.version) == (Decimal(1500), 2)
    assert [v.amount for v in a.versions.order_by("version")] == [Decimal(1000), Decimal(1500)]
    assert [t.amount for t in a.tranches.order_by("seq")] == [Decimal(600), Decimal(900)]
    assert a.tranches.get(seq=1).due_on == dt.date(2024, 3, 26)  # still counted from the original signing
    with pytest.raises(Exception, match="lebih kecil"):
        services.agreement_amend(
            actor=users["finance"],
            agreement_id=a.pk,
            number="ADD-2",
            signed_on=dt.date(2024, 5, 3),
            amount=Decimal(399),
        )


def test_budget_years_must_add_up(users):
    with pytest.raises(Exception, match="alokasi tahun anggaran"):
        agreement_make(users["finance"], amount="1000", budget_years=[(2023, "400"), (2024, "500")])


def test_reconciliation_shows_the_gap_and_the_source(users):
    make_six(users)
    services.budget_figure_add(
        actor=users["finance"],
        election_slug=ELECTION,
        label="Diumumkan di rakor",
        amount=Decimal(25000),
        source_key="K1",
        source="gerbangkaltim.com",
    )
    page = client_for(users["finance"]).get(reverse("grants:overview", args=["64.02"])).content.decode()
    section = page.split('id="reconciliation"')[1]
    assert "[K1]" in section and "Rp 4.000" in section  # 25.000 announced - 21.000 in NPHDs


def test_xlsx_export_is_a_finance_recap_with_formulas(users):
    make_six(users)
    response = client_for(users["finance"]).get(reverse("grants:export", args=["64.02"]))
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Rekapitulasi", "Jadwal Pencairan", "Rekonsiliasi"]
    recap = book["Rekapitulasi"]
    assert "REKAPITULASI" in recap["A2"].value
    rows = [r for r in recap.iter_rows(values_only=True) if r[1] == "JUMLAH"]
    assert rows and rows[0][5].startswith("=SUM(F")
    amounts = [r[5] for r in recap.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert sum(amounts) == 21000
    assert book["Jadwal Pencairan"].max_row == 4 + 12  # title, blank, header, 12 tranches


def test_public_page_has_the_same_totals_and_is_cached(
    users, client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    make_six(users)
    url = reverse("grants:public_region", args=["64.02"])
    first = client.get(url)
    assert "Rp 21.000" in first.content.decode() and "public" in first["Cache-Control"]
    with django_assert_num_queries(0):
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        post(users["finance"], services_agreement("kpu-kukar"), "disbursement", "100", "later")
    assert "Rp 8.500" in client.get(url).content.decode()  # a write starts a new cache generation


def services_agreement(code: str):
    from sinergi.grants.models import Agreement

    return Agreement.objects.get(recipient__code=code)


def test_roll_up_totals_are_exact_to_the_sen(users):
    # SQLite adds decimals as floating point: 0.1 + 0.2 must still be 0.30 on the province page.
    from sinergi.grants import selectors

    for code, amount in [("kpu-kukar", "1000000000000.10"), ("bawaslu-kukar", "0.20"), ("polres-kukar", "0.03")]:
        a = agreement_make(users["finance"], recipient=code, amount=amount)
        post(users["finance"], a, "disbursement", amount, f"d-{code}")
    data = selectors.overview(users["finance"], "64", today=dt.date(2026, 1, 1))
    assert data.totals.amount == data.totals.disbursed == Decimal("1000000000000.33")
    assert selectors.public_regions()[0]["amount"] == Decimal("1000000000000.33")


def test_a_closed_nphd_owes_no_more_tranches(users):
    a = agreement_make(users["finance"], amount="1000", policy="41-2020-bertahap")
    post(users["finance"], a, "disbursement", "400", "d1")
    post(users["kpu"], a, "spending", "350", "s1")
    post(users["kpu"], a, "refund", "50", "r1")
    services.agreement_close(actor=users["finance"], agreement_id=a.pk)
    client = client_for(users["finance"])
    overview = client.get(reverse("grants:overview", args=["64.02"])).content.decode()
    assert "semua tahap lunas" in overview and 'id="late-count">0<' in overview
    page = client.get(reverse("grants:agreement", kwargs={"election": ELECTION, "recipient": "kpu-kukar"}))
    assert 'data-status="void"' in page.content.decode()


def test_an_addendum_through_the_page_can_change_the_policy(users):
    agreement_make(users["finance"], amount="1000", policy="41-2020-sekaligus")
    client = client_for(users["finance"])
    url = reverse("grants:amend", kwargs={"election": ELECTION, "recipient": "kpu-kukar"})
    form = {
        "addendum-number": "ADD-1",
        "addendum-signed_on": "2024-04-01",
        "addendum-amount": "2.000",
        "addendum-policy": "54-2019",
        "addendum-note": "ikut pola lama",
    }
    assert client.post(url, form).status_code == 302
    a = services_agreement("kpu-kukar")
    assert (a.amount, a.policy.code, a.tranches.count()) == (Decimal(2000), "54-2019", 3)


def test_xlsx_export_keeps_rupiah_and_dates_typed_and_follows_the_language(users):
    from django.conf import settings

    make_six(users)
    web = client_for(users["finance"])
    recap = load_workbook(BytesIO(web.get(reverse("grants:export", args=["64.02"])).content))["Rekapitulasi"]
    header = [c.value for c in recap[5]]
    assert header[:6] == ["No.", "Penerima Hibah", "Nomor NPHD", "Tanggal NPHD", "Pemilihan", "Nilai NPHD (Rp)"]
    first = recap[6]
    assert first[5].value in {1000 * n for n in range(1, 7)}  # a number, not "Rp 1.000"
    assert first[5].number_format == "#,##0;[Red]-#,##0"
    assert first[3].number_format == "DD-MM-YYYY" and first[10].number_format == "0.00%"
    web.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    book = load_workbook(BytesIO(web.get(reverse("grants:export", args=["64.02"])).content))
    assert book.sheetnames == ["Recap", "Disbursement schedule", "Reconciliation"]
    recap = book["Recap"]
    assert "RECAP OF ELECTION GRANT" in recap["A2"].value and recap["A3"].value.startswith("As of ")
    assert [c.value for c in recap[5]][:6] == ["No.", "Grant recipient", "NPHD number", "NPHD date", "Election", "NPHD amount (Rp)"]
    assert recap[6][3].number_format == "MM/DD/YYYY" and recap[6][5].value == first[5].value


def test_the_public_page_takes_its_language_from_the_address_not_a_cookie(users, client):
    make_six(users)
    url = reverse("grants:public_region", args=["64.02"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    indonesian = client.get(url)
    assert indonesian["Content-Language"] == "id" and "Rp 21.000" in indonesian.content.decode()
    english = client.get(f"{url}?bahasa=en")
    html = english.content.decode()
    assert english["Content-Language"] == "en" and "Rp 21,000" in html
    assert 'href="?bahasa=id"' in html and "set_language" not in html and "csrfmiddlewaretoken" not in html
    assert f'href="{reverse("grants:public_index")}?bahasa=en"' in html
