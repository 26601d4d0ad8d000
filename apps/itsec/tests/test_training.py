"""Skills and training screens: IT staff register, courses and attendance, skills shares."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.itsec import indicators
from apps.itsec.models import Attendance, ItStaff, StaffSkill, TrainingCourse
from apps.organizations.models import Organization
from conftest import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, demo):
    return verified_client(client, User.objects.get(username="cntt"))


def test_staff_list_shows_the_plan_and_exports(officer):
    page = officer.get(reverse("itsec:staff_list")).content.decode()
    for name in ("Đặng Quốc Huy", "Nguyễn Thị Thanh Hương", "Lê Minh Khoa", "Trần Quang Vinh"):
        assert name in page
    assert "Thạc sĩ" in page or "Master" in page
    found = officer.get(reverse("itsec:staff_list"), {"q": "Khoa"}).content.decode()
    assert "Lê Minh Khoa" in found and "Thanh Hương" not in found
    masters = officer.get(reverse("itsec:staff_list"), {"qualification": "master"}).content.decode()
    assert "Đặng Quốc Huy" in masters and "Lê Minh Khoa" not in masters
    response = officer.get(reverse("itsec:staff_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "Trần Quang Vinh" in names


def test_overview_shows_shares_and_qualifications(officer, demo):
    page = officer.get(reverse("itsec:training"), {"year": 2021, "org": demo.pk}).content.decode()
    assert 'id="it-staff-total">4<' in page
    assert 'id="basic-share">100,00%<' in page
    assert 'id="security-share">100,00%<' in page


def test_add_staff_changes_the_it_staff_figure(officer, demo):
    ttud = Organization.objects.get(code="skhcn-ttud")
    response = officer.post(
        reverse("itsec:staff_create"),
        {
            "full_name": "Phan Văn Mới",
            "organization": ttud.pk,
            "qualification": "bachelor",
            "field_of_study": "Kỹ sư mạng",
            "active_from": "2021-01-01",
        },
    )
    assert response.status_code == 302
    person = ItStaff.objects.get(full_name="Phan Văn Mới")
    assert indicators.it_staff(demo, datetime.date(2021, 10, 1))["by_qualification"] == {
        "master": 1,
        "bachelor": 4,
    }
    assert AuditEvent.objects.filter(verb="it_staff_created", object_id=str(person.pk)).exists()
    # Leaving: an end date before the start is refused, a proper one ends the record.
    url = reverse("itsec:staff_edit", args=[person.pk])
    data = {
        "full_name": "Phan Văn Mới",
        "organization": ttud.pk,
        "qualification": "bachelor",
        "active_from": "2021-01-01",
        "active_to": "2020-01-01",
    }
    assert officer.post(url, data).status_code == 200
    data["active_to"] = "2021-06-30"
    assert officer.post(url, data).status_code == 302
    assert indicators.it_staff(demo, datetime.date(2021, 10, 1))["total"] == 4


def test_course_and_attendance_count_in_the_skills_figures(officer, demo):
    response = officer.post(
        reverse("itsec:course_create"),
        {
            "title": "Tập huấn kỹ năng CNTT cơ bản 2021",
            "organization": demo.pk,
            "topic": "basic_it",
            "starts_on": "2021-09-01",
            "ends_on": "2021-09-02",
            "provider": "Trung tâm",
        },
    )
    course = TrainingCourse.objects.get(title="Tập huấn kỹ năng CNTT cơ bản 2021")
    assert response.status_code == 302
    url = reverse("itsec:course_detail", args=[course.pk])
    officer.post(url, {"full_name": "Y Điêng Niê", "passed": "on"})
    officer.post(url, {"attendee": User.objects.get(username="chuyenvien").pk, "passed": "on"})
    officer.post(url, {"full_name": "Hồ Văn Lâm"})  # did not complete
    assert course.attendees.count() == 3
    # The same person twice is refused.
    page = officer.post(url, {"full_name": "y điêng niê", "passed": "on"}, follow=True).content.decode()
    assert course.attendees.count() == 3
    assert "Y Điêng Niê" in page
    assert indicators.skills(demo, 2021)["basic_course_attendees"] == 2
    assert indicators.skills(demo, 2021)["security_course_attendees"] == 20
    row = Attendance.objects.get(course=course, full_name="Hồ Văn Lâm")
    officer.post(reverse("itsec:attendance_remove", args=[row.pk]))
    assert course.attendees.count() == 2
    assert AuditEvent.objects.filter(verb="attendance_removed", object_id=str(course.pk)).exists()
    export = officer.get(url, {"export": "xlsx"})
    names = [r[0] for r in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)]
    assert "Y Điêng Niê" in names


def test_recording_skills_changes_the_shares(officer, demo):
    vp = Organization.objects.get(code="skhcn-vp")
    headcount = indicators.staff_of_unit(vp, datetime.date(2021, 12, 31))
    response = officer.post(
        reverse("itsec:training"),
        {"organization": vp.pk, "year": 2021, "basic_it_skills": headcount, "security_trained": 0},
    )
    assert response.status_code == 302
    assert StaffSkill.objects.get(organization=vp, year=2021).security_trained == 0
    skills = indicators.skills(demo, 2021)
    assert skills["basic_it_skills_share"] == "100,00%"
    assert skills["security_trained"] == 77 - headcount
    # More than the unit's staff is refused.
    officer.post(
        reverse("itsec:training"),
        {"organization": vp.pk, "year": 2021, "basic_it_skills": headcount + 1, "security_trained": 0},
    )
    assert StaffSkill.objects.get(organization=vp, year=2021).basic_it_skills == headcount


def test_leader_sees_but_cannot_edit(client, demo):
    c = verified_client(client, User.objects.get(username="lanhdao"))
    assert c.get(reverse("itsec:staff_list")).status_code == 200
    assert c.get(reverse("itsec:staff_create")).status_code == 403
    person = ItStaff.objects.first()
    assert c.get(reverse("itsec:staff_edit", args=[person.pk])).status_code == 403
    course = TrainingCourse.objects.first()
    assert c.post(reverse("itsec:course_detail", args=[course.pk]), {"full_name": "X"}).status_code == 403
    assert not course.attendees.filter(full_name="X").exists()
    specialist = verified_client(client, User.objects.get(username="chuyenvien"))
    assert specialist.get(reverse("itsec:staff_list")).status_code == 403
