"""The online form in steps: save and resume, owner-only drafts, one atomic and idempotent submit."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.dossiers.models import Dossier, State, StatisticsEntry
from apps.organizations.roles import Role
from conftest import verified_client

from .conftest import APPLICANT, upload

pytestmark = pytest.mark.django_db

START = reverse("dossiers:submit_online", args=[1])


def _step(client, url, step, go="next", **data):
    return client.post(url, {"step": step, "go": go, **data})


def _walk_to_review(client):
    first = _step(client, START, 1, **APPLICANT)
    assert (
        first.status_code == 302 and "tiep-tuc" in first["Location"] and first["Location"].endswith("step=2")
    )
    resume = first["Location"].split("?")[0]
    assert _step(client, resume, 2, f_purpose="Sử dụng thiết bị X-quang").status_code == 302
    third = _step(client, resume, 3, doc_don=upload(), doc_giayphep=upload("gp.pdf", "GP"))
    assert third.status_code == 302 and third["Location"].endswith("step=4")
    return resume


def test_four_steps_then_one_submission(client, users, catalogue, media):
    verified_client(client, users[Role.CITIZEN])
    resume = _walk_to_review(client)
    draft = Dossier.objects.get()
    assert (
        draft.state == State.DRAFT and draft.code is None and draft.documents.exclude(file=None).count() == 2
    )
    assert not StatisticsEntry.objects.exists()  # a draft is not counted anywhere

    review = client.get(resume + "?step=4")
    assert "gp.pdf" in review.content.decode() and "500.000" in review.content.decode()
    for _ in range(2):  # a double click on the last step
        done = client.post(resume, {"step": 4, "idempotency_key": "last-step"})
        assert done.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.pk == draft.pk and dossier.state == State.SUBMITTED and dossier.code
    assert dossier.documents.exclude(file=None).count() == 2 and dossier.fee == 500000
    assert list(StatisticsEntry.objects.values_list("kind", flat=True)) == ["submitted"]


def test_a_step_with_errors_is_shown_again_and_the_draft_is_unchanged(client, users, catalogue, media):
    verified_client(client, users[Role.CITIZEN])
    page = _step(client, START, 1, applicant_name="", applicant_phone="")
    assert page.status_code == 200
    assert "Enter the applicant" in page.content.decode()
    assert Dossier.objects.count() == 0
    resume = _step(client, START, 1, **APPLICANT)["Location"].split("?")[0]
    missing = _step(client, resume, 3, doc_don=upload())
    assert missing.status_code == 200 and "Bản sao giấy chứng nhận" in missing.content.decode()
    assert Dossier.objects.get().state == State.DRAFT


def test_submitting_an_incomplete_draft_sends_back_to_the_missing_step(client, users, catalogue, media):
    verified_client(client, users[Role.CITIZEN])
    resume = _step(client, START, 1, **APPLICANT)["Location"].split("?")[0]
    response = client.post(resume, {"step": 4, "idempotency_key": "early"})
    assert response.status_code == 200
    assert response.context["step"] == 2  # the request's fields are missing
    draft = Dossier.objects.get()
    assert draft.state == State.DRAFT and draft.code is None


def test_only_the_owner_resumes_a_draft(client, users, catalogue, media, make_user):
    verified_client(client, users[Role.CITIZEN])
    resume = _step(client, START, 1, go="save", **APPLICANT)["Location"].split("?")[0]
    assert client.get(resume).status_code == 200
    other = verified_client(Client(), make_user(Role.CITIZEN, username="nguoi-khac"))
    assert other.get(resume).status_code == 404
    stranger = Client()
    session = stranger.session
    session["dossiers_verified_contact"] = APPLICANT["applicant_email"]
    session.save()
    assert stranger.get(resume).status_code == 404  # an account's draft is not opened by e-mail


def test_a_verified_email_draft_belongs_to_that_email(client, catalogue, media):
    session = client.session
    session["dossiers_verified_contact"] = "khach@example.vn"
    session.save()
    resume = _step(client, START, 1, go="save", **{**APPLICANT, "applicant_email": "x@example.vn"})
    resume = resume["Location"].split("?")[0]
    assert Dossier.objects.get().applicant_email == "khach@example.vn"
    assert client.get(resume).status_code == 200
    other = Client()
    session = other.session
    session["dossiers_verified_contact"] = "khac@example.vn"
    session.save()
    assert other.get(resume).status_code == 404
