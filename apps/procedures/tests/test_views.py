"""Screens and API: who may use what, and what a user sees."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from apps.organizations.roles import Role
from apps.procedures import views
from apps.procedures.models import Procedure, ProcedureVersion, VersionStatus
from conftest import verified_client

from .factories import make_published

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
EVERYONE = [ANONYMOUS, *Role]


@pytest.fixture
def version(db):
    return make_published(fee={"kind": "fixed", "amount": "3000000"})


def client_for(client, users, who):
    return client if who == ANONYMOUS else verified_client(client, users[who])


def public_urls(version):
    return [
        reverse("procedures:catalogue"),
        reverse("procedures:catalogue") + "?q=cap+giay&level=4",
        reverse("procedures:detail", args=[version.procedure_id]),
        reverse("api:procedures:procedure-list") + "?q=cap+giay",
        reverse("api:procedures:procedure-detail", args=[version.procedure_id]),
        reverse("api:procedures:field-list"),
    ]


def staff_get_urls(version):
    return [
        reverse("procedures:staff_list"),
        reverse("procedures:staff_list") + "?export=xlsx",
        reverse("procedures:staff_list") + "?export=csv",
        reverse("procedures:staff_import"),
        reverse("procedures:staff_create"),
        reverse("procedures:staff_version", args=[version.pk]),
        reverse("procedures:staff_edit", args=[version.pk]),
    ]


def staff_post_urls(version):
    return [
        reverse("procedures:staff_new_draft", args=[version.procedure_id]),
        reverse("procedures:staff_transition", args=[version.pk, "retire"]),
        reverse("procedures:staff_transition", args=[version.pk, "publish"]),
    ]


@pytest.mark.parametrize("who", EVERYONE)
def test_public_catalogue_and_api_are_open_to_everyone(client, users, version, who):
    c = client_for(client, users, who)
    for url in public_urls(version):
        assert c.get(url).status_code == 200, url


@pytest.mark.parametrize("who", EVERYONE)
def test_staff_screens_are_for_administrators_only(client, users, version, who):
    c = client_for(client, users, who)
    for url in staff_get_urls(version):
        status = c.get(url).status_code
        if who == ANONYMOUS:
            assert status == 302, url  # to the sign-in page
        elif who == Role.ADMINISTRATOR:
            assert status in (200, 302), url  # editing a published version redirects to its page
        else:
            assert status == 403, url
    for url in staff_post_urls(version):
        status = c.post(url, {"note": "Thử"}).status_code
        assert status == (302 if who in (ANONYMOUS, Role.ADMINISTRATOR) else 403), url
    expected = 2 if who == Role.ADMINISTRATOR else 1  # the administrator made a draft
    assert ProcedureVersion.objects.filter(procedure=version.procedure).count() == expected


def test_staff_version_of_unknown_id_is_404(client, users):
    c = verified_client(client, users[Role.ADMINISTRATOR])
    assert c.get(reverse("procedures:staff_version", args=[99999])).status_code == 404


def test_detail_shows_documents_fee_time_and_steps(client, version):
    html = client.get(reverse("procedures:detail", args=[version.procedure_id])).content.decode()
    assert "Đơn đề nghị" in html and "Bản sao giấy tờ" in html
    assert "3.000.000" in html
    assert "Thẩm định hồ sơ" in html and "8,5" in html  # 10 days: 0,5 + 8,5 + 0,5 + 0,5


def test_submit_button_only_when_the_dossier_url_exists(client, version, monkeypatch):
    url = reverse("procedures:detail", args=[version.procedure_id])
    monkeypatch.setattr(views, "submit_url", lambda pid: f"/ho-so/nop/{pid}/")
    assert f'href="/ho-so/nop/{version.procedure_id}/"' in client.get(url).content.decode()
    monkeypatch.setattr(views, "submit_url", lambda pid: "")
    assert "/ho-so/nop/" not in client.get(url).content.decode()


def test_submit_url_resolves_or_is_blank(version):
    from django.urls import NoReverseMatch

    try:
        expected = reverse("dossiers:submit_start", args=[version.procedure_id])
    except NoReverseMatch:
        expected = ""
    assert views.submit_url(version.procedure_id) == expected


def test_walk_in_only_procedure_has_no_submit_button(client, monkeypatch):
    version = make_published("Thủ tục tại quầy", channels=("walk_in",))
    monkeypatch.setattr(views, "submit_url", lambda pid: "/ho-so/nop/")
    assert (
        "/ho-so/nop/"
        not in client.get(reverse("procedures:detail", args=[version.procedure_id])).content.decode()
    )


def test_retired_procedure_page_is_404(client, version):
    from apps.procedures import services

    services.retire(None, version)
    assert client.get(reverse("procedures:detail", args=[version.procedure_id])).status_code == 404
    assert (
        client.get(reverse("api:procedures:procedure-detail", args=[version.procedure_id])).status_code == 404
    )


def test_catalogue_filters_by_field_and_level(client, version):
    other = make_published("Đăng ký công bố hợp quy", field="Tiêu chuẩn", level=3)
    page = client.get(reverse("procedures:catalogue"), {"level": 3}).content.decode()
    assert other.name in page and version.name not in page
    page = client.get(reverse("procedures:catalogue"), {"field": version.field_id}).content.decode()
    assert version.name in page and other.name not in page


def test_catalogue_list_query_count_is_bounded(client, django_assert_max_num_queries):
    for i in range(30):
        make_published(f"Thủ tục số {i}")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("procedures:catalogue")).status_code == 200


def test_api_lists_the_version_in_force(client, version):
    data = client.get(reverse("api:procedures:procedure-list"), {"q": "CAP GIAY"}).json()
    assert data["count"] == 1
    item = data["results"][0]
    assert item["procedure_id"] == version.procedure_id and item["fee"] == {
        "kind": "fixed",
        "amount": "3000000",
    }
    assert item["url"] == f"/thu-tuc/{version.procedure_id}/"
    assert client.post(reverse("api:procedures:procedure-list"), {}).status_code == 405  # read-only


def test_administrator_edits_a_draft_and_publishes_it(client, users, version):
    c = verified_client(client, users[Role.ADMINISTRATOR])
    c.post(reverse("procedures:staff_new_draft", args=[version.procedure_id]))
    draft = ProcedureVersion.objects.get(status=VersionStatus.DRAFT)
    data = {
        "code": "",
        "name": "Cấp giấy phép (bản mới)",
        "field": version.field_id,
        "processing_days": "10",
        "online_level": "full",
        "channels": ["online", "walk_in"],
        "steps": json.dumps(draft.steps),
        "documents": json.dumps(draft.documents),
        "form_fields": json.dumps(draft.form_fields),
        "fee": '{"kind": "fixed", "amount": "4000000"}',
        "legacy_level": "4",
    }
    bad = c.post(reverse("procedures:staff_edit", args=[draft.pk]), {**data, "processing_days": "12"})
    assert bad.status_code == 200 and "12" in bad.content.decode()  # steps add up to 10: shown, not saved
    draft.refresh_from_db()
    assert draft.name == version.name
    assert c.post(reverse("procedures:staff_edit", args=[draft.pk]), data).status_code == 302
    c.post(reverse("procedures:staff_transition", args=[draft.pk, "publish"]), {"effective_from": ""})
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.fee["amount"] == "4000000"
    assert draft.effective_from == timezone.localdate()
    page = client.get(reverse("procedures:detail", args=[version.procedure_id])).content.decode()
    assert "4.000.000" in page


def test_administrator_imports_a_file_with_errors_and_sees_them(client, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = verified_client(client, users[Role.ADMINISTRATOR])
    bad = "code,name_vi,field_vi,processing_days,fee_vnd,source_url,confidence\nXYZ,Tên,Lĩnh vực,5,0,,\n"
    response = c.post(
        reverse("procedures:staff_import"), {"file": SimpleUploadedFile("dm.csv", bad.encode(), "text/csv")}
    )
    assert response.status_code == 200
    assert [(e.row, e.column) for e in response.context["errors"]] == [(2, "code")]
    assert response.context["errors"][0].message in response.content.decode()
    assert Procedure.objects.count() == 0
    good = bad.replace("XYZ", "")
    response = c.post(
        reverse("procedures:staff_import"),
        {"file": SimpleUploadedFile("dm.csv", good.encode(), "text/csv"), "publish": "on"},
    )
    assert response.status_code == 302
    assert ProcedureVersion.objects.get().processing_days == Decimal(5)


@pytest.mark.parametrize("who", EVERYONE)
def test_statistics_are_for_administrators_leaders_and_unit_heads(client, users, who):
    c = client_for(client, users, who)
    for query in ("", "?export=xlsx"):
        status = c.get(reverse("procedures:statistics") + query).status_code
        if who == ANONYMOUS:
            assert status == 302
        elif who in (Role.ADMINISTRATOR, Role.LEADER, Role.UNIT_HEAD):
            assert status == 200
        else:
            assert status == 403


def test_statistics_count_the_organisations_procedures(client, users, tree):
    make_published("Thủ tục A", unit=tree["tech"], level=2)
    make_published("Thủ tục B", unit=tree["tech"], level=4)
    make_published("Thủ tục C", unit=tree["other_unit"], level=4)
    c = verified_client(client, users[Role.LEADER])
    response = c.get(
        reverse("procedures:statistics"), {"organization": tree["agency"].pk, "on": "2021-10-04"}
    )
    legacy = response.context["legacy"]
    assert (legacy.total, legacy.by_level) == (2, {2: 1, 3: 0, 4: 1})
    assert legacy.share_by_level[2] == "50,00%"
    # An organisation outside the leader's reach is not offered; the first visible one is used.
    response = c.get(reverse("procedures:statistics"), {"organization": tree["other_agency"].pk})
    assert response.context["organization"] != tree["other_agency"]


def test_submit_button_leads_to_the_online_form_of_the_version_in_force(client, version):
    page = client.get(reverse("procedures:detail", args=[version.procedure_id])).content.decode()
    start = reverse("dossiers:submit_start", args=[version.procedure_id])
    assert f'href="{start}"' in page
    response = client.get(start)
    assert response.status_code == 302
    assert response.url == reverse("dossiers:submit_online", args=[version.pk])


def test_walk_in_only_procedure_cannot_be_started_online(client):
    version = make_published("Thủ tục chỉ nhận tại quầy", channels=("walk_in",))
    assert client.get(reverse("dossiers:submit_start", args=[version.procedure_id])).status_code == 404


@pytest.mark.parametrize("param", ["q", "search"])
def test_procedures_api_filters_by_text_under_either_name(client, param):
    make_published()
    make_published("Đăng ký kết quả thực hiện nhiệm vụ khoa học", field="Hoạt động khoa học")
    url = reverse("api:procedures:procedure-list") + f"?{param}=ket+qua+nhiem+vu"
    body = client.get(url).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [r["name"] for r in rows] == ["Đăng ký kết quả thực hiện nhiệm vụ khoa học"]


def test_an_optional_document_is_marked_once(client, settings):
    settings.LANGUAGE_CODE = "vi"  # this package's tests run in English; the doubling is Vietnamese
    version = make_published()
    other = {
        "code": "khac",
        "name": "Tài liệu khác (nếu có)",
        "form": "copy",
        "quantity": 1,
        "required": False,
    }
    documents = [{**d, "required": True} for d in version.documents] + [{**other, "template_file_id": None}]
    ProcedureVersion.objects.filter(pk=version.pk).update(documents=documents)
    url = reverse("procedures:detail", args=[version.procedure_id])
    with translation.override("vi"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Tài liệu khác (nếu có)" in page
    assert page.count("(nếu có)") == 1  # the name already says so: not "(nếu có) (nếu có)"


def test_catalogue_list_is_cached_until_the_catalogue_changes(client, version):
    """Issue 15: the public list is rendered once per change, not once per visitor."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.procedures import services

    url = reverse("procedures:catalogue")
    first = client.get(url).content.decode()
    assert version.name in first
    with CaptureQueriesContext(connection) as again:
        second = client.get(url).content.decode()
    table = lambda page: page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]  # noqa: E731
    assert table(second) == table(first)  # the page around it (CSRF token) is per request
    assert not [q for q in again.captured_queries if "procedures_procedureversion" in q["sql"]]

    newer = make_published("Cấp giấy chứng nhận đăng ký hoạt động chuyển giao công nghệ")
    assert newer.name in client.get(url).content.decode()  # published: the cached list is gone
    services.retire(None, newer)
    assert newer.name not in client.get(url).content.decode()
    assert version.name not in client.get(url, {"q": "khong co thu tuc nay"}).content.decode()  # own key
