"""On-screen editing of a draft methodology: validation shown, inconsistencies refused, drafts only;
an active version is changed by creating a new version."""

import copy

import pytest
from django.urls import reverse

from apps.organizations.roles import Role
from apps.techassess import methodology
from apps.techassess.models import Methodology, MethodologyStatus
from conftest import verified_client

from .test_methodology import official_tables

pytestmark = pytest.mark.django_db


def form_data(definition, **parts):
    data = {
        "title": definition["title"],
        "effective_from": definition["effective_from"],
        "source_note": definition.get("source_note", ""),
    }
    for part in (
        "groups",
        "sections",
        "criteria",
        "benchmarks",
        "coefficient",
        "classification",
        "aggregation",
    ):
        value = parts.get(part, definition.get(part))
        data[part] = "" if value is None else methodology.dump_yaml(value)
    return data


def test_the_circular_17_draft_is_completed_on_screen_then_activated(client, methods, users):
    admin = users[Role.ADMINISTRATOR]
    c = verified_client(client, admin)
    tt17 = methods["tt17"]
    url = reverse("techassess:methodology_edit", args=[tt17.pk])
    page = c.get(url).content.decode()
    assert "criteria[4] T4: scoring table not yet entered." in page  # what is missing is shown
    filled = official_tables(tt17.definition, methods["demo"].definition)

    # An inconsistency is shown and nothing is saved.
    broken = copy.deepcopy(filled)
    broken["criteria"][0]["max_points"] = 6
    response = c.post(url, {**form_data(tt17.definition, criteria=broken["criteria"]), "save": "1"})
    page = response.content.decode()
    assert 'id="validation-errors"' in page
    assert "groups T: criterion maxima add up to 31, but the group maximum is 30." in page
    tt17.refresh_from_db()
    assert tt17.definition["criteria"][0]["rule"] is None

    # "Check" validates without saving.
    response = c.post(url, {**form_data(filled), "check": "1"})
    assert 'id="validation-ok"' in response.content.decode()
    tt17.refresh_from_db()
    assert tt17.definition["sections"] is None

    # A YAML typo names its line.
    response = c.post(url, {**form_data(filled), "coefficient": "expression: [unclosed\n", "save": "1"})
    assert "Not valid YAML (line" in response.content.decode()

    # Parts entered one at a time: a partial save keeps the draft (still missing items).
    response = c.post(url, {**form_data(tt17.definition, sections=filled["sections"]), "save": "1"})
    assert response.status_code == 302
    tt17.refresh_from_db()
    assert tt17.definition["sections"] == filled["sections"] and tt17.status == MethodologyStatus.DRAFT
    c.post(reverse("techassess:methodology_activate", args=[tt17.pk]))
    tt17.refresh_from_db()
    assert tt17.status == MethodologyStatus.DRAFT  # still refused

    c.post(url, {**form_data(filled), "save": "1"})
    tt17.refresh_from_db()
    assert methodology.validate(tt17.definition) == []
    assert tt17.definition["code"] == "TT17-2019" and tt17.definition["version"] == "2019"
    c.post(reverse("techassess:methodology_activate", args=[tt17.pk]))
    tt17.refresh_from_db()
    assert tt17.status == MethodologyStatus.ACTIVE


def test_an_active_version_is_immutable_and_changed_through_a_new_version(client, methods, users):
    admin = users[Role.ADMINISTRATOR]
    c = verified_client(client, admin)
    demo = methods["demo"]
    before = copy.deepcopy(demo.definition)
    response = c.post(
        reverse("techassess:methodology_edit", args=[demo.pk]), {**form_data(demo.definition), "save": "1"}
    )
    assert response.status_code == 302
    demo.refresh_from_db()
    assert demo.definition == before
    page = c.get(reverse("techassess:methodology_detail", args=[demo.pk])).content.decode()
    assert 'id="new-version"' in page and 'id="edit-methodology"' not in page
    response = c.post(reverse("techassess:methodology_new_version", args=[demo.pk]), {"version": "1.1"})
    copy_ = Methodology.objects.get(code=demo.code, version="1.1")
    assert response.url == reverse("techassess:methodology_edit", args=[copy_.pk])
    assert copy_.status == MethodologyStatus.DRAFT and copy_.illustrative
    assert copy_.definition["version"] == "1.1" and copy_.definition["criteria"] == before["criteria"]
    # The same version twice is refused.
    c.post(reverse("techassess:methodology_new_version", args=[demo.pk]), {"version": "1.1"})
    assert Methodology.objects.filter(code=demo.code, version="1.1").count() == 1
    # Editing the copy and activating it retires the old version; the old definition is untouched.
    bands = copy.deepcopy(before["criteria"][0]["rule"]["bands"])
    bands[0]["max"] = 4
    bands[1]["min"] = 4
    criteria = copy.deepcopy(before["criteria"])
    criteria[0]["rule"]["bands"] = bands
    c.post(
        reverse("techassess:methodology_edit", args=[copy_.pk]),
        {**form_data(copy_.definition, criteria=criteria), "save": "1"},
    )
    c.post(reverse("techassess:methodology_activate", args=[copy_.pk]))
    demo.refresh_from_db()
    copy_.refresh_from_db()
    assert demo.status == MethodologyStatus.RETIRED and demo.definition == before
    assert (
        copy_.status == MethodologyStatus.ACTIVE
        and copy_.definition["criteria"][0]["rule"]["bands"][0]["max"] == 4
    )


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_only_administrators_edit(client, methods, users, role):
    c = verified_client(client, users[role])
    tt17 = methods["tt17"]
    assert c.get(reverse("techassess:methodology_edit", args=[tt17.pk])).status_code == 403
    response = c.post(reverse("techassess:methodology_new_version", args=[tt17.pk]), {"version": "x"})
    assert response.status_code == 403
