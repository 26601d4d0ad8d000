"""The people picker of staff forms (issue #18, point 10a-b): each person once, grouped by unit with
their position, enhanced by Tom Select served from our static files, and the picked order kept."""

import html as htmllib
import re

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.utils import translation

from apps.core.widgets import PeopleField
from apps.organizations.roles import Role

pytestmark = pytest.mark.django_db


class PickForm(forms.Form):
    people = PeopleField(queryset=None, ordered=True)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = queryset


@pytest.fixture
def staff(make_user, tree):
    from apps.accounts.models import User
    from apps.organizations.models import Membership

    leader = make_user(Role.LEADER, username="lanhdao")
    leader.full_name = "Đinh Khắc Tuấn"
    leader.save()
    Membership.objects.filter(user=leader).update(title="Giám đốc")
    head = make_user(Role.UNIT_HEAD, username="truongphong")
    head.full_name = "Phạm Văn Dũng"
    head.save()
    Membership.objects.filter(user=head).update(title="Trưởng phòng")
    # The head also belongs to the office (two memberships): still listed once.
    Membership.objects.create(user=head, organization=tree["office"], role=Role.SPECIALIST)
    clerk = make_user(Role.CLERK, username="vanthu")
    clerk.full_name = "Vũ Thị Lan"
    clerk.save()
    # A queryset joining memberships repeats a person once per membership.
    queryset = User.objects.filter(memberships__is_active=True).order_by("full_name")
    assert queryset.filter(pk=head.pk).count() == 2
    return {"leader": leader, "head": head, "clerk": clerk, "queryset": queryset}


def test_options_are_grouped_by_unit_with_positions_and_each_person_once(staff, tree):
    with translation.override("vi"):
        html = str(PickForm(queryset=staff["queryset"])["people"])
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', html, re.S)
    by_unit = {
        htmllib.unescape(label): [htmllib.unescape(o) for o in re.findall(r">([^<]+)</option>", body)]
        for label, body in groups
    }
    assert by_unit == {
        "Phòng Quản lý Công nghệ": ["Phạm Văn Dũng — Trưởng phòng"],
        "Sở KH&CN": ["Đinh Khắc Tuấn — Giám đốc"],
        "Văn phòng Sở": ["Vũ Thị Lan — Văn thư"],
    }
    assert html.count(f'value="{staff["head"].pk}"') == 1
    assert 'data-people-picker="ordered"' in html
    assert 'data-placeholder="Gõ tên để tìm"' in html


def test_the_cleaned_people_keep_the_order_they_were_picked_in(staff):
    leader, head = staff["leader"], staff["head"]
    form = PickForm({"people": [str(head.pk), str(leader.pk)]}, queryset=staff["queryset"])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["people"] == [head, leader]
    form = PickForm({"people": [str(leader.pk), str(head.pk)]}, queryset=staff["queryset"])
    assert form.is_valid()
    assert form.cleaned_data["people"] == [leader, head]


def test_staff_pages_load_tom_select_from_our_static_files(client, staff):
    from conftest import verified_client

    assert finders.find("vendor/tom-select/tom-select.complete.min.js")
    assert finders.find("vendor/tom-select/tom-select.bootstrap5.min.css")
    html = verified_client(client, staff["clerk"]).get("/lam-viec/").content.decode()
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    styles = re.findall(r'<link[^>]+href="([^"]+\.css)"', html)
    assert "/static/vendor/tom-select/tom-select.complete.min.js" in scripts
    assert "/static/vendor/tom-select/tom-select.bootstrap5.min.css" in styles
    assert all(src.startswith("/static/") for src in scripts + styles)
    with open(finders.find("js/app.js"), encoding="utf-8") as handle:
        app_js = handle.read()
    assert "select[data-people-picker]" in app_js and "new TomSelect(" in app_js
