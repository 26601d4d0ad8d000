"""Royalties: valuation against hand-computed amounts, base-salary history, frame checks, budget
line, the payment list's state machine, permissions and the accounting export."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.portal import services_royalties as rs
from apps.portal.models import (
    BaseSalary,
    PaymentListStatus,
    RoyaltyBudget,
    RoyaltyContributor,
    RoyaltyItem,
    royalty_amount,
)
from apps.portal.royalties_selectors import amounts_by_person
from conftest import verified_client

from .test_office_support import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.usefixtures("english")


def _item(editor, genre, coefficient, day, authors, title="Tin hoạt động"):
    item = RoyaltyItem(title=title, published_on=day, genre=genre, coefficient=Decimal(coefficient))
    return rs.save_item(editor, item, authors)


@pytest.fixture
def people(db):
    return [
        RoyaltyContributor.objects.create(
            full_name="Trần Thị Ánh", bank_account="0101", id_number="066190001234"
        ),
        RoyaltyContributor.objects.create(full_name="Y Khoa Niê", bank_account="0202"),
        RoyaltyContributor.objects.create(full_name="Lê Phúc"),
    ]


@pytest.mark.parametrize(
    "coefficient, base, expected",
    [
        ("1", 1_490_000, 149_000),  # 1 × 10% × 1.490.000
        ("2.5", 1_490_000, 372_500),
        ("1.2", 1_490_000, 178_800),
        ("3.5", 1_490_000, 521_500),
        ("2", 2_340_000, 468_000),  # the example of legal-rules.md part E
        ("4.5", 1_800_000, 810_000),
        ("1.25", 1_490_000, 186_250),
        ("0.33", 1_490_000, 49_170),
    ],
)
def test_royalty_is_coefficient_times_ten_percent_of_base_salary(coefficient, base, expected):
    assert royalty_amount(Decimal(coefficient), base) == expected


@pytest.mark.django_db
def test_items_of_several_genres_are_valued_by_hand_computed_amounts(office, frame, people):
    editor = office["editor"]
    day = dt.date(2021, 5, 10)
    news = _item(editor, frame["tin"], "1.5", day, [(people[0], 100)])
    photo = _item(editor, frame["anh"], "1.8", day, [(people[1], 100)], title="Ảnh hội thảo")
    study = _item(editor, frame["nghien-cuu"], "3.5", day, [(people[2], 100)], title="Nghiên cứu")
    assert (news.base_salary, news.amount) == (1_490_000, 223_500)
    assert photo.amount == 268_200
    assert study.amount == 521_500
    assert news.shares.get().amount == 223_500


@pytest.mark.django_db
def test_base_salary_change_mid_year_applies_by_publication_date(office, frame, people):
    editor = office["editor"]
    before = _item(editor, frame["tin"], "2", dt.date(2023, 6, 30), [(people[0], 100)])
    after = _item(editor, frame["tin"], "2", dt.date(2023, 7, 1), [(people[0], 100)])
    assert (before.base_salary, before.amount) == (1_490_000, 298_000)
    assert (after.base_salary, after.amount) == (1_800_000, 360_000)

    # A later base salary does not rewrite an amount already valued...
    BaseSalary.objects.create(effective_from=dt.date(2024, 7, 1), amount=2_340_000)
    before.refresh_from_db()
    assert before.amount == 298_000
    # ...but moving the publication date revalues the item with the salary of the new date.
    before.published_on = dt.date(2024, 8, 1)
    rs.save_item(editor, before, [(people[0], 100)])
    before.refresh_from_db()
    assert (before.base_salary, before.amount) == (2_340_000, 468_000)
    rows = amounts_by_person(dt.date(2023, 1, 1), dt.date(2024, 12, 31))
    assert rows[0]["amount"] == 360_000 + 468_000


@pytest.mark.django_db
def test_coefficient_outside_the_frame_or_without_salary_is_refused(office, frame, people):
    editor = office["editor"]
    with pytest.raises(ValidationError) as exc:
        _item(editor, frame["tin"], "2.6", dt.date(2021, 5, 10), [(people[0], 100)])
    assert exc.value.message_dict["coefficient"] == [
        "The coefficient must be between 1,00 and 2,50 for this genre."
    ]
    with pytest.raises(ValidationError):
        _item(editor, frame["nghien-cuu"], "2.9", dt.date(2021, 5, 10), [(people[0], 100)])
    with pytest.raises(ValidationError) as exc:  # the frame starts in 2020
        _item(editor, frame["tin"], "1", dt.date(2019, 12, 31), [(people[0], 100)])
    assert "genre" in exc.value.message_dict
    BaseSalary.objects.all().delete()
    with pytest.raises(ValidationError) as exc:
        _item(editor, frame["tin"], "1", dt.date(2021, 5, 10), [(people[0], 100)])
    assert exc.value.code == "no_base_salary"
    assert RoyaltyItem.objects.count() == 0


@pytest.mark.django_db
def test_shares_split_the_amount_exactly(office, frame, people):
    item = _item(
        office["editor"],
        frame["tin"],
        "1",
        dt.date(2021, 5, 10),
        [(people[0], Decimal("33.33")), (people[1], Decimal("33.33")), (people[2], Decimal("33.34"))],
    )
    amounts = {s.contributor.full_name: s.amount for s in item.shares.all()}
    # 149.000 × 33,33% = 49.661,70 → 49.662 (twice); × 33,34% = 49.676,60 → 49.677; the three make
    # 149.001, so the first author listed bears the rounding difference: 49.661.
    assert amounts == {"Trần Thị Ánh": 49_661, "Y Khoa Niê": 49_662, "Lê Phúc": 49_677}
    assert sum(amounts.values()) == 149_000
    with pytest.raises(ValidationError):
        _item(office["editor"], frame["tin"], "1", dt.date(2021, 5, 11), [(people[0], 60), (people[1], 30)])
    with pytest.raises(ValidationError):
        _item(office["editor"], frame["tin"], "1", dt.date(2021, 5, 11), [])


@pytest.mark.django_db
def test_only_the_editorial_office_records_royalties(office, frame, people):
    for user in (office["specialist"], office["citizen"], office["head"]):
        with pytest.raises(PermissionDenied):
            _item(user, frame["tin"], "1", dt.date(2021, 5, 10), [(people[0], 100)])


def _quarter_items(editor, frame, people):
    _item(editor, frame["nghien-cuu"], "4", dt.date(2021, 2, 1), [(people[0], 100)])  # 596.000
    _item(editor, frame["tin"], "1", dt.date(2021, 3, 1), [(people[1], 100)])  # 149.000
    _item(editor, frame["tin"], "2.5", dt.date(2021, 5, 3), [(people[0], 50), (people[1], 50)])  # 372.500


@pytest.mark.django_db
def test_payment_list_goes_draft_approved_paid_with_history_and_audit(office, frame, people):
    editor, leader = office["editor"], office["leader"]
    RoyaltyBudget.objects.create(year=2021, amount=117_000_000)
    _quarter_items(editor, frame, people)
    plist, warning = rs.create_payment_list(
        editor, title="Quý I/2021", period_start=dt.date(2021, 1, 1), period_end=dt.date(2021, 3, 31)
    )
    assert warning is None
    assert plist.code == "NB-2021-001" and plist.status == PaymentListStatus.DRAFT
    assert plist.total() == 745_000  # the May item is not in the first quarter

    with pytest.raises(PermissionDenied):  # an editor does not approve
        rs.transition(editor, plist, "approve")
    with pytest.raises(ValidationError):  # nor pay a draft
        rs.transition(editor, plist, "pay", paid_on=dt.date(2021, 4, 10))
    plist, _w = rs.transition(leader, plist, "approve", note="Đồng ý")
    assert plist.status == PaymentListStatus.APPROVED and plist.approved_by == leader
    with pytest.raises(ValidationError):  # approved twice
        rs.transition(leader, plist, "approve")
    # An approved list locks its items.
    item = plist.items.first()
    with pytest.raises(ValidationError):
        rs.save_item(editor, item, [(people[0], 100)])
    plist, _w = rs.transition(editor, plist, "pay", paid_on=dt.date(2021, 4, 15))
    assert plist.status == PaymentListStatus.PAID and plist.paid_on == dt.date(2021, 4, 15)
    for action in ("approve", "reopen", "pay"):
        with pytest.raises(ValidationError):
            rs.transition(leader, plist, action, paid_on=dt.date(2021, 4, 16))
    history = list(plist.changes.values_list("action", "from_state", "to_state"))
    assert history == [("create", "", "draft"), ("approve", "draft", "approved"), ("pay", "approved", "paid")]
    verbs = set(AuditEvent.objects.filter(object_id=str(plist.pk)).values_list("verb", flat=True))
    assert {"royalty_list_created", "royalty_list_approve", "royalty_list_pay"} <= verbs
    person = {r["name"]: r["amount"] for r in amounts_by_person(None, None, payment_list=plist)}
    assert person == {"Trần Thị Ánh": 596_000, "Y Khoa Niê": 149_000}


@pytest.mark.django_db
def test_budget_overrun_is_warned_on_creation_and_refused_on_approval(office, frame, people):
    editor, leader = office["editor"], office["leader"]
    # 1.000.000 in the line, 100.000 of it spent on the internet service: 900.000 for royalties.
    RoyaltyBudget.objects.create(year=2021, amount=1_000_000, reserved_other=100_000)
    _quarter_items(editor, frame, people)
    first, warning = rs.create_payment_list(
        editor, title="Quý I", period_start=dt.date(2021, 1, 1), period_end=dt.date(2021, 3, 31)
    )
    assert warning is None
    rs.transition(leader, first, "approve")
    second, warning = rs.create_payment_list(
        editor, title="Quý II", period_start=dt.date(2021, 4, 1), period_end=dt.date(2021, 6, 30)
    )
    assert warning == (
        "This payment list (372.500 VND) would bring the royalties of 2021 to 1.117.500 VND, "
        "over the 900.000 VND available in the budget line."
    )
    with pytest.raises(ValidationError) as exc:
        rs.transition(leader, second, "approve")
    assert exc.value.code == "over_budget"
    second.refresh_from_db()
    assert second.status == PaymentListStatus.DRAFT
    # Reopening the first list frees the line: the second can then be approved.
    rs.transition(leader, first, "reopen", note="Điều chỉnh")
    _plist, warning = rs.transition(leader, second, "approve")
    assert warning is None
    spent = rs.spending(2021)
    assert (spent["committed"], spent["draft"], spent["remaining"]) == (372_500, 745_000, 527_500)


@pytest.mark.django_db
def test_approval_without_a_budget_line_warns(office, frame, people):
    _quarter_items(office["editor"], frame, people)
    plist, warning = rs.create_payment_list(
        office["editor"], title="Quý I", period_start=dt.date(2021, 1, 1), period_end=dt.date(2021, 3, 31)
    )
    assert warning == "No budget line is recorded for 2021: spending cannot be checked."
    _plist, warning = rs.transition(office["leader"], plist, "approve")
    assert warning and "No budget line" in warning


@pytest.mark.django_db
def test_payment_list_refuses_empty_and_cross_year_periods(office, frame, people):
    with pytest.raises(ValidationError):
        rs.create_payment_list(
            office["editor"], title="Trống", period_start=dt.date(2021, 1, 1), period_end=dt.date(2021, 3, 31)
        )
    with pytest.raises(ValidationError):
        rs.create_payment_list(
            office["editor"],
            title="Hai năm",
            period_start=dt.date(2021, 12, 1),
            period_end=dt.date(2022, 1, 31),
        )


@pytest.mark.django_db
def test_staff_screens_permissions_and_accounting_excel(client, office, frame, people):
    from openpyxl import load_workbook

    editor, leader = office["editor"], office["leader"]
    RoyaltyBudget.objects.create(year=2021, amount=117_000_000)
    _quarter_items(editor, frame, people)
    plist, _w = rs.create_payment_list(
        editor, title="Quý I", period_start=dt.date(2021, 1, 1), period_end=dt.date(2021, 3, 31)
    )
    url = reverse("portal:office_royalties") + "?year=2021"
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    verified_client(client, office["specialist"])
    assert client.get(url).status_code == 403
    assert client.get(reverse("portal:office_payment_list", args=[plist.pk])).status_code == 403

    verified_client(client, editor)
    page = client.get(url)
    assert page.status_code == 200 and "596.000" in page.content.decode()
    assert client.get(url + "&q=nghien").status_code == 200
    export = client.get(url + "&export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    # The editor's approval attempt through the screen is refused (403), the list stays a draft.
    response = client.post(reverse("portal:office_payment_list_transition", args=[plist.pk, "approve"]))
    assert response.status_code == 403
    plist.refresh_from_db()
    assert plist.status == PaymentListStatus.DRAFT

    verified_client(client, leader)
    client.post(reverse("portal:office_payment_list_transition", args=[plist.pk, "approve"]), {"note": "OK"})
    plist.refresh_from_db()
    assert plist.status == PaymentListStatus.APPROVED

    xlsx = client.get(reverse("portal:office_payment_list_xlsx", args=[plist.pk]))
    sheet = load_workbook(BytesIO(xlsx.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["STT", "Họ và tên"]
    assert rows[1][1] == "Trần Thị Ánh" and rows[1][2] == "066190001234" and rows[1][7] == 596_000
    assert rows[-1][1] == "Tổng cộng" and rows[-1][7] == 745_000


@pytest.mark.django_db
def test_royalty_form_records_an_item_for_a_portal_page(client, office, frame, people):
    from django.utils import timezone
    from wagtail.models import Page

    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title="Hội thảo chuyển đổi số", slug="hoi-thao-cds"))
    page.first_published_at = timezone.make_aware(dt.datetime(2021, 10, 6, 9, 0))
    page.save()
    verified_client(client, office["editor"])
    response = client.post(
        reverse("portal:office_royalty_create"),
        {
            "page": page.pk,
            "genre": frame["tin"].pk,
            "coefficient": "2",
            "author_1": people[0].pk,
            "share_1": "100",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = RoyaltyItem.objects.get()
    assert (item.title, item.published_on, item.amount) == (
        "Hội thảo chuyển đổi số",
        dt.date(2021, 10, 6),
        298_000,
    )
    # Out of the frame: the form shows the reason and saves nothing more.
    response = client.post(
        reverse("portal:office_royalty_create"),
        {
            "page": page.pk,
            "genre": frame["tin"].pk,
            "coefficient": "9",
            "author_1": people[0].pk,
            "share_1": "100",
        },
    )
    assert response.status_code == 200
    assert "The coefficient must be between 1,00 and 2,50 for this genre." in response.content.decode()
    assert RoyaltyItem.objects.count() == 1


@pytest.mark.django_db
def test_contributor_with_payment_details_is_saved_with_an_audit_event(client, office):
    verified_client(client, office["specialist"])
    data = {"full_name": "Lê Hoàng Phúc", "id_number": "066088009012", "bank_account": "0109876543"}
    assert client.post(reverse("portal:office_contributor_create"), data).status_code == 403
    verified_client(client, office["editor"])
    assert client.post(reverse("portal:office_contributor_create"), data).status_code == 302
    person = RoyaltyContributor.objects.get()
    assert (person.id_number, person.bank_account, person.user) == ("066088009012", "0109876543", None)
    assert AuditEvent.objects.filter(verb="royalty_contributor_saved", object_id=str(person.pk)).exists()
    listing = client.get(reverse("portal:office_contributors") + "?q=phuc").content.decode()
    assert "Lê Hoàng Phúc" in listing
