"""The audit log filters by person, module and date, keeps the filters while paging, and stays
closed to those who may not read the whole log (#18.11f)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from apps.audit.services import record
from apps.organizations.roles import Role
from conftest import verified_client

pytestmark = pytest.mark.django_db
HCM = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def log(tree, make_user, monkeypatch):
    from apps.itsec.models import InformationSystem

    an = make_user(Role.SPECIALIST, username="an")
    an.full_name = "Nguyễn Văn An"
    an.save()
    binh = make_user(Role.IT_OFFICER, username="binh")
    binh.full_name = "Trần Thị Bình"
    binh.save()
    system = InformationSystem.objects.create(name="Cổng thông tin", organization=tree["tech"])

    def at(day, hour, verb, obj, actor, note):
        moment = datetime.datetime(2026, 3, day, hour, tzinfo=HCM)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        record(verb, obj, actor=actor, note=note)
        monkeypatch.undo()

    at(2, 8, "test_event", tree["tech"], an, "an-ngay-2-to-chuc")
    at(3, 0, "test_event", system, an, "an-ngay-3-itsec")  # 00:00 on 3 March in Vietnam: 2 March in UTC
    at(3, 23, "test_event", system, binh, "binh-ngay-3-itsec")
    at(5, 9, "test_event", tree["office"], binh, "binh-ngay-5-to-chuc")
    return {"an": an, "binh": binh}


def _notes(page: str) -> list[str]:
    return re.findall(r"(?:an|binh)-ngay-\d-[a-z-]+", page)


def _get(client, users, **params):
    c = verified_client(client, users[Role.ADMINISTRATOR])
    with translation.override("vi"):
        return c.get(reverse("audit:event_list"), params).content.decode()


def test_filter_by_person_without_diacritics(client, users, log, settings):
    settings.LANGUAGE_CODE = "vi"
    page = _get(client, users, person="nguyen van AN")
    assert _notes(page) == ["an-ngay-3-itsec", "an-ngay-2-to-chuc"]
    assert 'value="nguyen van AN"' in page


def test_filter_by_module(client, users, log, settings):
    settings.LANGUAGE_CODE = "vi"
    page = _get(client, users, module="itsec")
    assert _notes(page) == ["binh-ngay-3-itsec", "an-ngay-3-itsec"]
    assert '<option value="itsec" selected>' in page
    assert (
        _get(client, users, module="not-a-module").count("-ngay-") == 4
    )  # an unknown module filters nothing


def test_filter_by_dates_in_vietnam_time(client, users, log, settings):
    settings.LANGUAGE_CODE = "vi"
    assert _notes(_get(client, users, date_from="2026-03-03", date_to="2026-03-03")) == [
        "binh-ngay-3-itsec",
        "an-ngay-3-itsec",
    ]
    assert _notes(_get(client, users, date_from="2026-03-04")) == ["binh-ngay-5-to-chuc"]
    assert _notes(_get(client, users, date_to="2026-03-02")) == ["an-ngay-2-to-chuc"]
    # Filters combine.
    assert _notes(_get(client, users, person="binh", module="itsec", date_from="2026-03-03")) == [
        "binh-ngay-3-itsec"
    ]
    page = _get(client, users, person="khong ai")
    assert _notes(page) == [] and "Không có sự kiện nào khớp với điều kiện lọc." in page


def test_paging_keeps_the_filters(client, users, log, settings, tree):
    settings.LANGUAGE_CODE = "vi"
    for i in range(30):
        record("test_event", tree["tech"], actor=log["an"], note=f"trang-{i}")
    page = _get(client, users, person="an", module="organizations")
    assert "trang-29" in page and "trang-0<" not in page  # 25 a page
    assert re.search(
        r'href="\?[^"]*person=an[^"]*module=organizations[^"]*page=2"', page.replace("&amp;", "&")
    )


def test_the_filters_open_the_log_to_no_one_else(client, users, log):
    for role in (Role.UNIT_HEAD, Role.IT_OFFICER, Role.LEADER):
        c = verified_client(type(client)(), users[role])
        assert c.get(reverse("audit:event_list"), {"person": "an", "module": "itsec"}).status_code == 403
