"""Views: who may open what, list pages (paging, search, Excel), the planner → leader flow,
the Excel import of the appendix and "Gửi ký và ban hành"."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, reverse

from apps.organizations.roles import Role
from apps.plans import urls as plan_urls
from apps.plans.models import Plan, PlanStatus, Project
from conftest import verified_client

pytestmark = pytest.mark.django_db


def _client(user):
    return verified_client(Client(), user)


def _routes(plan):
    project = plan.projects.first()
    for pattern in plan_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {}
        for name in pattern.pattern.converters:
            kwargs[name] = {"pk": plan.pk, "project_pk": project.pk, "action": "submit"}[name]
        yield pattern.name, reverse(f"plans:{pattern.name}", kwargs=kwargs)


PLAN_SPECIFIC = {"index", "create", "project_list", "dashboard"}


def test_anonymous_users_are_sent_to_the_login_page(demo):
    client = Client()
    for name, url in _routes(demo["plans"][2023]):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"].startswith(reverse("accounts:login")), name


@pytest.mark.parametrize("username", ["vanthu", "motcua", "bientap", "congdan"])
def test_other_roles_are_refused(demo, username):
    client = _client(demo["users"][username])
    for name, url in _routes(demo["plans"][2023]):
        assert client.get(url).status_code == 403, name
        assert client.post(url).status_code in (403, 405), name


def test_planners_of_another_agency_see_nothing_of_this_one(demo, make_user):
    stranger = make_user(Role.IT_OFFICER, username="cntt-syt", unit="other_agency")
    client = _client(stranger)
    for name, url in _routes(demo["plans"][2023]):
        if name in PLAN_SPECIFIC:
            continue
        assert client.get(url).status_code in (404, 405), name  # 405: a POST-only action
        assert client.post(url).status_code == 404, name
    listing = client.get(reverse("plans:index"))
    assert listing.status_code == 200 and "172/KH-SKHCN" not in listing.content.decode()
    projects = client.get(reverse("plans:project_list"))
    assert "Mua sắm trang thiết bị" not in projects.content.decode()


def test_a_leader_reads_but_may_not_edit_a_draft(demo):
    client = _client(demo["users"]["lanhdao"])
    draft = demo["plans"][2023]
    assert client.get(reverse("plans:detail", args=[draft.pk])).status_code == 200
    assert client.get(reverse("plans:edit", args=[draft.pk])).status_code == 403
    assert client.get(reverse("plans:project_create", args=[draft.pk])).status_code == 403


def test_plan_list_pages_searches_and_exports(demo):
    agency = demo["agency"]
    for year in range(1990, 2020):
        Plan.objects.create(organization=agency, year=year, title=f"Kế hoạch ứng dụng CNTT năm {year}")
    client = _client(demo["users"]["cntt"])
    first = client.get(reverse("plans:index")).content.decode()
    second = client.get(reverse("plans:index"), {"page": 2}).content.decode()
    assert "năm 2023" in first and "năm 1990" not in first
    assert "năm 1990" in second
    found = client.get(reverse("plans:index"), {"q": "172/KH"}).content.decode()
    assert "172/KH-SKHCN" in found and "năm 2023" not in found
    export = client.get(reverse("plans:index"), {"export": "xlsx", "q": "172/KH"})
    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Năm" and len(rows) == 2
    assert rows[1][3] == "172/KH-SKHCN" and rows[1][7] == 405_000_000


def test_project_list_pages_searches_and_exports(demo):
    client = _client(demo["users"]["cntt"])
    page = client.get(reverse("plans:project_list"), {"q": "Tập huấn"}).content.decode()
    assert "Tập huấn, bồi dưỡng hàng năm" in page and "Mua sắm trang thiết bị" not in page
    plan = demo["plans"][2023]
    for n in range(30):
        Project.objects.create(plan=plan, order=10 + n, name=f"Dự án thử {n:02d}", total=1_000_000)
    first = client.get(reverse("plans:project_list")).content.decode()
    second = client.get(reverse("plans:project_list"), {"page": 2}).content.decode()
    assert "Dự án thử 29" in second and "Dự án thử 29" not in first and "Dự án thử 00" in first
    export = client.get(reverse("plans:project_list"), {"export": "xlsx", "year": 2022})
    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [r[4] for r in rows[1:]] == [135_000_000, 20_000_000, 150_000_000, 100_000_000]


def test_planner_edits_submits_and_leader_approves_through_the_pages(demo):
    plan = demo["plans"][2023]
    planner = _client(demo["users"]["cntt"])
    line = plan.projects.get(order=4)
    response = planner.post(
        reverse("plans:project_edit", args=[plan.pk, line.pk]),
        {
            "order": 4,
            "name": line.name,
            "lead_unit": "Văn phòng Sở",
            "objective": line.objective,
            "timing": "2023",
            "total": "125,5",
            "recurrent": "125,5",
            "investment": "",
            "other": "",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    line.refresh_from_db()
    assert line.total == 125_500_000 and line.lead_unit == "Văn phòng Sở"
    page = planner.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "445,5" in page  # 150 + 20 + 150 + 125,5
    planner.post(
        reverse("plans:action", args=[plan.pk, "submit"]),
        {"note": "Trình duyệt", "version": plan.row_version},
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    # The planner may not approve their own plan; the leader may.
    planner.post(reverse("plans:action", args=[plan.pk, "approve"]), {"version": plan.row_version})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    leader = _client(demo["users"]["lanhdao"])
    leader.post(
        reverse("plans:action", args=[plan.pk, "approve"]), {"note": "Đồng ý", "version": plan.row_version}
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.frozen_figures["year"] == 2022
    assert [h.action for h in plan.history.all()] == ["create", "submit", "approve"]


def test_a_stale_form_is_refused(demo):
    plan = demo["plans"][2023]
    planner = _client(demo["users"]["cntt"])
    response = planner.post(
        reverse("plans:action", args=[plan.pk, "submit"]), {"version": plan.row_version + 5}, follow=True
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert "tải lại" in response.content.decode().lower()


def _xlsx(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "STT",
            "Tên nhiệm vụ, dự án",
            "Đơn vị chủ trì",
            "Mục tiêu",
            "Thời gian triển khai",
            "Tổng mức đầu tư",
            "NSNN sự nghiệp",
            "NSNN đầu tư",
            "Nguồn khác",
            "Ghi chú",
        ]
    )
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("phu-luc.xlsx", out.getvalue())


def test_excel_import_reports_row_errors_and_writes_nothing(demo):
    plan = demo["plans"][2023]
    before = list(plan.projects.values_list("name", "total"))
    planner = _client(demo["users"]["cntt"])
    upload = _xlsx(
        [
            [1, "Mua sắm máy tính", "Sở KH&CN", "Thay thế máy cũ", "2023", 150, 150, None, None, ""],
            [2, "Tập huấn", "Sở KH&CN", "", "2023", "hai mươi", 20, None, None, ""],
            [3, "", "Sở KH&CN", "", "2023", 10, 10, None, None, ""],
        ]
    )
    page = planner.post(reverse("plans:appendix_import", args=[plan.pk]), {"file": upload}).content.decode()
    assert "Dòng 3: cột Tổng mức đầu tư phải là số" in page
    assert "Dòng 4: cột Tên nhiệm vụ, dự án không được để trống" in page
    assert list(plan.projects.values_list("name", "total")) == before


def test_excel_export_then_import_round_trips_the_appendix(demo):
    planner = _client(demo["users"]["cntt"])
    source = demo["plans"][2022]
    exported = planner.get(reverse("plans:appendix_export", args=[source.pk])).content
    draft = demo["plans"][2023]
    response = planner.post(
        reverse("plans:appendix_import", args=[draft.pk]), {"file": SimpleUploadedFile("pl.xlsx", exported)}
    )
    assert response.status_code == 302
    assert list(draft.projects.values_list("name", "total")) == list(
        source.projects.values_list("name", "total")
    )


def test_send_for_signing_creates_an_outgoing_draft(demo):
    plan = demo["plans"][2022]
    leader = _client(demo["users"]["lanhdao"])
    response = leader.post(reverse("plans:send", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.sent_document_id
    assert response.status_code == 302 and str(plan.sent_document_id) in response["Location"]
    detail = leader.get(response["Location"])
    assert detail.status_code == 200 and plan.title in detail.content.decode()
    again = leader.post(reverse("plans:send", args=[plan.pk]), follow=True)
    assert "đã được gửi ký" in again.content.decode()


def test_dashboard_shows_targets_budget_and_years(demo):
    client = _client(demo["users"]["lanhdao"])
    plan = demo["plans"][2022]
    page = client.get(reverse("plans:dashboard"), {"plan": plan.pk}).content.decode()
    assert 'id="plans-dashboard-data"' in page and "plans/dashboard.js" in page
    import re

    for tag in re.findall(r"<script[^>]*>", page):  # the CSP forbids inline scripts
        assert "src=" in tag or 'type="application/json"' in tag, tag
    for year in ("2020", "2021", "2022"):
        assert f">{year}<" in page
    assert "405 triệu đồng" in page  # the 2022 appendix budget


def test_api_lists_the_agency_plans_with_part1_figures(demo, make_user):
    client = _client(demo["users"]["cntt"])
    listing = client.get("/api/v1/plans/").json()
    rows = listing["results"] if isinstance(listing, dict) else listing
    assert {r["year"] for r in rows} >= {2022, 2023}
    detail = client.get(f"/api/v1/plans/{demo['plans'][2022].pk}/").json()
    assert detail["part1"]["values"]["itsec.computers.for_work"] == 77
    assert sum(p["total"] for p in detail["projects"]) == 405_000_000
    stranger = _client(make_user(Role.IT_OFFICER, username="cntt-syt", unit="other_agency"))
    assert stranger.get(f"/api/v1/plans/{demo['plans'][2022].pk}/").status_code == 404
    assert _client(demo["users"]["vanthu"]).get("/api/v1/plans/").status_code == 403
