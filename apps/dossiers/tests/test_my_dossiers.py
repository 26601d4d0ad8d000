"""“Hồ sơ của tôi”: the citizen's own dossiers as their home, and the status pages without a second
lookup for the account that applied (issue #18, point 1)."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone, translation

from apps.dossiers import services
from apps.dossiers.models import Dossier, Rating, State
from apps.organizations.roles import Role
from conftest import verified_client

from .conftest import APPLICANT

pytestmark = pytest.mark.django_db

MINE = "/ho-so/cua-toi/"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # the lookup's rate limits
    yield
    cache.clear()


@pytest.fixture
def citizen(make_user):
    return make_user(Role.CITIZEN, username="congdan-a")


@pytest.fixture
def other_citizen(make_user):
    return make_user(Role.CITIZEN, username="congdan-b")


def status_pks(html: str) -> list[int]:
    """The dossiers the page links to through the signed status links (never a bare id)."""
    return [resolve(href).kwargs["pk"] for href in re.findall(r'href="(/ho-so/tra-cuu/[^"#/]+/)[^"]*"', html)]


def rows(html: str) -> list[str]:
    return re.findall(r'<tr data-dossier="([^"]*)"', html)


def test_the_url_is_the_one_the_pages_use():
    assert reverse("dossiers:mine") == MINE


def test_a_citizen_lands_on_my_dossiers_after_signing_in(client, citizen):
    response = client.post(reverse("accounts:login"), {"username": "congdan-a", "password": "Mật-khẩu-123"})
    assert response.status_code == 302
    home = client.get(response["Location"])
    assert home.status_code == 302 and home["Location"] == MINE
    page = client.get(MINE)
    assert page.status_code == 200 and 'id="my-dossiers"' in page.content.decode()


def test_staff_keep_their_workspace(client, make_user):
    make_user(Role.SPECIALIST, username="chuyenvien")
    client.post(reverse("accounts:login"), {"username": "chuyenvien", "password": "Mật-khẩu-123"})
    response = client.get(reverse("core:staff_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="nav-personal-home"' not in html and reverse("core:staff_home") in html


def test_the_citizens_navigation_leads_to_my_dossiers_and_notifications(client, citizen):
    html = verified_client(client, citizen).get(reverse("core:inbox")).content.decode()
    assert f'id="nav-personal-home" href="{MINE}"' in html
    assert f'href="{reverse("core:inbox")}"' in html


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(MINE)
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_the_list_shows_only_the_citizens_own_dossiers(client, submit, citizen, other_citizen):
    mine = [submit(applicant_user=citizen), submit(applicant_user=citizen)]
    theirs = submit(applicant_user=other_citizen)
    anonymous = submit()  # same contact details, no account: not linked to anyone's account
    html = verified_client(client, citizen).get(MINE).content.decode()
    assert sorted(rows(html)) == sorted(d.code for d in mine)
    assert theirs.code not in html and anonymous.code not in html
    assert set(status_pks(html)) == {d.pk for d in mine}
    assert f"/ho-so/tra-cuu/{mine[0].pk}/" not in html  # no sequential id in the address


def test_staff_see_an_empty_list_not_every_dossier(client, submit, users):
    submit()
    html = verified_client(client, users[Role.ADMINISTRATOR]).get(MINE).content.decode()
    assert rows(html) == []


def _set(dossier, **fields):
    Dossier.objects.filter(pk=dossier.pk).update(**fields)


def test_each_row_says_what_is_expected_of_the_citizen_in_vietnamese(
    client, submit, users, citizen, settings
):
    desk = users[Role.ONE_STOP_OFFICER]
    supplement = submit(applicant_user=citizen)
    services.act(
        supplement.pk,
        "request_supplement",
        actor=desk,
        items=["Bản sao giấy chứng nhận có chứng thực"],
        note="Bản sao chưa có chứng thực.",
    )
    unpaid = services.act(submit(applicant_user=citizen).pk, "receive", actor=desk)
    result = submit(applicant_user=citizen)
    _set(result, state=State.RESULT_READY, paid=True)
    returned = submit(applicant_user=citizen)
    _set(returned, state=State.RETURNED, paid=True)
    rated = submit(applicant_user=citizen)
    _set(rated, state=State.CLOSED, paid=True)
    Rating.objects.create(dossier=rated, score=5)

    settings.LANGUAGE_CODE = "vi"
    with translation.override("vi"):
        html = verified_client(client, citizen).get(MINE).content.decode()
    expected = dict(re.findall(r'<tr data-dossier="([^"]+)" data-task="([^"]*)"', html))
    assert expected == {
        supplement.code: "supplement",
        unpaid.code: "pay",
        result.code: "collect",
        returned.code: "rate",
        rated.code: "",
    }
    for text in ("Hồ sơ của tôi", "Cần bổ sung hồ sơ", "Chờ thanh toán", "500.000", "Nhận kết quả"):
        assert text in html, text
    assert "Đánh giá dịch vụ" in html and "Chờ bổ sung" in html and "Đã tiếp nhận" in html
    assert "Việc anh/chị cần làm" in html and "Ngày hẹn trả kết quả" in html
    assert "#supp-title" in html and "#pay-fee" in html and "#download-result" in html
    # the appointed date of the received dossier, in Vietnamese order
    assert timezone.localtime(Dossier.objects.get(pk=unpaid.pk).due_at).strftime("%d/%m/%Y") in html
    # four wait for the citizen (supplement, pay, collect, rate); nothing on the rated one
    assert "4 hồ sơ trên trang này đang chờ anh/chị thao tác" in html
    assert html.count('class="btn btn-sm btn-') == 4


def test_query_count_does_not_grow_with_rows(client, submit, citizen, django_assert_max_num_queries):
    def make(n):
        for i in range(n):
            dossier = submit(applicant_user=citizen)
            state = [State.SUBMITTED, State.RESULT_READY, State.RETURNED, State.SUPPLEMENT_REQUESTED][i % 4]
            _set(dossier, state=state)
            if i % 8 == 2:
                Rating.objects.create(dossier=dossier, score=4)

    make(3)
    verified_client(client, citizen)
    with django_assert_max_num_queries(30) as few:
        client.get(MINE)
    make(14)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(MINE)
    assert len(rows(response.content.decode())) == 17


def test_the_list_is_paged(client, submit, citizen):
    made = [submit(applicant_user=citizen) for _ in range(27)]
    verified_client(client, citizen)
    first = client.get(MINE).content.decode()
    second = client.get(MINE + "?page=2").content.decode()
    assert len(rows(first)) == 25 and len(rows(second)) == 2
    assert set(rows(first)) | set(rows(second)) == {d.code for d in made}
    assert made[-1].code in rows(first)  # newest first


def test_search_by_code_and_by_procedure(client, submit, catalogue, citizen):
    first = submit(applicant_user=citizen)
    second = submit(applicant_user=citizen)
    walk_in = submit(applicant_user=citizen, version_id=2, channel="walk_in")
    verified_client(client, citizen)
    by_code = client.get(MINE, {"q": second.code.upper()}).content.decode()
    assert rows(by_code) == [second.code]
    by_procedure = client.get(MINE, {"q": "bức xạ 2"}).content.decode()
    assert rows(by_procedure) == [walk_in.code]
    by_procedure_code = client.get(MINE, {"q": "1.001"}).content.decode()
    assert sorted(rows(by_procedure_code)) == sorted([first.code, second.code])
    nothing = client.get(MINE, {"q": "không có"}).content.decode()
    assert rows(nothing) == [] and "No dossier of yours matches this search." in nothing


def test_a_saved_draft_offers_to_resume_it(client, catalogue, tree, citizen):
    draft = services.save_draft(version_id=1, desk=tree["office"], data=dict(APPLICANT), step=2, user=citizen)
    html = verified_client(client, citizen).get(MINE).content.decode()
    assert rows(html) == [""] and 'data-task="resume"' in html
    assert reverse("dossiers:resume", args=[1, draft.resume_token]) in html


# --------------------------------------------------------------------------- status pages


def test_the_applicant_signed_in_opens_the_status_page_without_code_and_phone(client, submit, citizen):
    dossier = submit(applicant_user=citizen)
    verified_client(client, citizen)
    html = client.get(MINE).content.decode()
    link = re.search(r'href="(/ho-so/tra-cuu/[^"#/]+/)"', html).group(1)
    page = client.get(link)
    assert page.status_code == 200 and dossier.code in page.content.decode()
    # the lookup by code alone also works for their own dossier: the account is the second factor
    response = client.post(reverse("dossiers:status"), {"code": dossier.code, "factor": ""})
    assert response.status_code == 302 and resolve(response["Location"]).kwargs["pk"] == dossier.pk
    lookup = client.get(reverse("dossiers:status")).content.decode()
    assert 'name="factor" required' not in lookup and MINE in lookup


def test_another_citizen_is_refused_the_status_page(client, submit, citizen, other_citizen):
    dossier = submit(applicant_user=citizen)
    owner = verified_client(Client(), citizen)
    link = re.search(r'href="(/ho-so/tra-cuu/[^"#/]+/)"', owner.get(MINE).content.decode()).group(1)
    intruder = verified_client(client, other_citizen)
    assert intruder.get(link).status_code == 404
    assert intruder.get(link + "ket-qua/").status_code == 404
    assert intruder.post(link + "danh-gia/", {"score": 1}).status_code == 404
    # nor through the lookup without the dossier's phone or e-mail
    response = intruder.post(reverse("dossiers:status"), {"code": dossier.code, "factor": ""})
    assert response.status_code == 200
    assert "No dossier matches this code" in response.content.decode()
    assert not Rating.objects.exists()


def test_anonymous_lookup_still_needs_the_second_factor(client, submit, citizen):
    dossier = submit(applicant_user=citizen)
    response = client.post(reverse("dossiers:status"), {"code": dossier.code, "factor": ""})
    assert response.status_code == 200
    assert 'name="factor" required' in client.get(reverse("dossiers:status")).content.decode()
