"""Enterprise claiming: an enterprise account links itself to a record entered by an officer or an
import, only after verification (a code sent to the registered e-mail, or an officer's confirmation)."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.core.notifications.models import OutboxMessage
from apps.organizations.roles import Role
from apps.techassess import services
from apps.techassess.models import ClaimStatus, Enterprise, EnterpriseClaim
from conftest import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_record(methods, users):
    return services.register_enterprise(
        actor=users[Role.SPECIALIST],
        data={
            "name": "Công ty CP Cà phê Ea Pốk",
            "tax_code": "6000777001",
            "vsic_code": "1077",
            "commune": "Xã Cư M'gar",
            "email": "ketoan@eapok.vn",
        },
    )


@pytest.fixture
def claimant(make_user):
    return make_user(Role.CITIZEN, username="dn-eapok")


def sent_code(django_capture_on_commit_callbacks, c, tax_code):
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("techassess:claim_start"), {"tax_code": tax_code, "method": "email"})
    message = OutboxMessage.objects.filter(event=services.CLAIM_CODE_EVENT).latest("pk")
    return response, message, re.search(r"\b(\d{6})\b", message.body).group(1)


def test_registering_a_known_tax_code_leads_to_a_claim(client, on_record, claimant):
    c = verified_client(client, claimant)
    response = c.post(
        reverse("techassess:enterprise_register"),
        {"name": "Cà phê Ea Pốk", "tax_code": "6000777001", "vsic_code": "1077", "commune": "Xã A"},
    )
    assert response.url == reverse("techassess:claim_start") + "?tax_code=6000777001"
    on_record.refresh_from_db()
    assert on_record.owner is None and Enterprise.objects.count() == 1


def test_code_sent_to_the_registered_email_links_the_enterprise(
    client, on_record, claimant, django_capture_on_commit_callbacks
):
    c = verified_client(client, claimant)
    response, message, code = sent_code(django_capture_on_commit_callbacks, c, "6000777001")
    assert message.recipient == "ketoan@eapok.vn"  # the enterprise's address on record, not the claimant's
    claim = EnterpriseClaim.objects.get()
    assert response.url == reverse("techassess:claim_detail", args=[claim.pk])
    assert code not in claim.code_hash  # only a hash is stored
    page = c.get(response.url).content.decode()
    assert "ke***@eapok.vn" in page and "ketoan@eapok.vn" not in page
    # The enterprise cannot be used before verification.
    assert c.get(reverse("techassess:enterprise_detail", args=[on_record.pk])).status_code == 404
    wrong = "000000" if code != "000000" else "111111"
    c.post(reverse("techassess:claim_verify", args=[claim.pk]), {"code": wrong})
    claim.refresh_from_db()
    assert claim.attempts == 1 and claim.status == ClaimStatus.PENDING
    response = c.post(reverse("techassess:claim_verify", args=[claim.pk]), {"code": code})
    assert response.url == reverse("techassess:enterprise_detail", args=[on_record.pk])
    on_record.refresh_from_db()
    claim.refresh_from_db()
    assert on_record.owner == claimant and claim.status == ClaimStatus.APPROVED
    assert AuditEvent.objects.filter(verb="enterprise_claimed").exists()
    assert c.get(reverse("techassess:enterprise_detail", args=[on_record.pk])).status_code == 200


def test_wrong_codes_are_limited_and_another_account_cannot_use_the_code(
    client, on_record, claimant, make_user, django_capture_on_commit_callbacks
):
    c = verified_client(client, claimant)
    _response, _message, code = sent_code(django_capture_on_commit_callbacks, c, "6000777001")
    claim = EnterpriseClaim.objects.get()
    intruder = make_user(Role.CITIZEN, username="ke-gian")
    with pytest.raises(PermissionDenied):
        services.verify_claim_code(claim, actor=intruder, code=code)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(services.CLAIM_MAX_ATTEMPTS):
        with pytest.raises(services.ClaimCodeRejected):
            services.verify_claim_code(claim, actor=claimant, code=wrong)
    with pytest.raises(ValidationError, match="Too many wrong codes"):
        services.verify_claim_code(claim, actor=claimant, code=code)
    on_record.refresh_from_db()
    assert on_record.owner is None


def test_an_officer_confirms_or_refuses(client, on_record, claimant, users):
    claim = services.request_claim(actor=claimant, tax_code="6000777001", method="officer", note="Giám đốc")
    officer = users[Role.SPECIALIST]
    to_confirm = OutboxMessage.objects.filter(event=services.CLAIM_TO_CONFIRM_EVENT)
    assert {m.recipient_user for m in to_confirm} == {officer, users[Role.UNIT_HEAD]}
    oc = verified_client(client, officer)
    page = oc.get(reverse("techassess:claim_list")).content.decode()
    assert "Công ty CP Cà phê Ea Pốk" in page
    with pytest.raises(ValidationError, match="Write why"):
        services.decide_claim(claim, actor=officer, approve=False)
    oc.post(
        reverse("techassess:claim_decide", args=[claim.pk]), {"decision": "approve", "note": "Đã xem ĐKKD"}
    )
    on_record.refresh_from_db()
    assert on_record.owner == claimant
    # A second claim on a linked enterprise is refused outright.
    other = services.register_enterprise(
        actor=officer,
        data={"name": "DN khác", "tax_code": "6000777002", "vsic_code": "1610", "commune": "Xã B"},
    )
    second = services.request_claim(actor=claimant, tax_code=other.tax_code, method="officer")
    services.decide_claim(second, actor=officer, approve=False, note="Không có giấy ủy quyền")
    other.refresh_from_db()
    second.refresh_from_db()
    assert other.owner is None and second.status == ClaimStatus.REJECTED


def test_claims_that_must_be_refused(on_record, claimant, make_user, users):
    with pytest.raises(ValidationError, match="No enterprise with this tax code"):
        services.request_claim(actor=claimant, tax_code="6000999999", method="email")
    no_email = services.register_enterprise(
        actor=users[Role.SPECIALIST],
        data={"name": "DN không thư", "tax_code": "6000777003", "vsic_code": "1610", "commune": "Xã B"},
    )
    with pytest.raises(ValidationError, match="No e-mail is on record"):
        services.request_claim(actor=claimant, tax_code=no_email.tax_code, method="email")
    claim = services.request_claim(actor=claimant, tax_code="6000777001", method="officer")
    services.decide_claim(claim, actor=users[Role.SPECIALIST], approve=True)
    other = make_user(Role.CITIZEN, username="dn-khac")
    with pytest.raises(ValidationError, match="already linked to another account"):
        services.request_claim(actor=other, tax_code="6000777001", method="officer")
    # Staff accounts do not claim enterprises; claimants do not decide their own claims.
    with pytest.raises(PermissionDenied):
        services.request_claim(actor=users[Role.SPECIALIST], tax_code=no_email.tax_code, method="officer")
    pending = services.request_claim(actor=other, tax_code=no_email.tax_code, method="officer")
    with pytest.raises(PermissionDenied):
        services.decide_claim(pending, actor=other, approve=True)


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.SPECIALIST])
def test_a_claim_page_is_private(client, on_record, claimant, make_user, role):
    claim = services.request_claim(actor=claimant, tax_code="6000777001", method="officer")
    viewer = make_user(role, username=f"viewer-{role}")
    status = (
        verified_client(client, viewer).get(reverse("techassess:claim_detail", args=[claim.pk])).status_code
    )
    assert status == (404 if role == Role.CITIZEN else 200)


def test_an_imported_enterprise_keeps_its_email_for_claims(
    methods, users, claimant, django_capture_on_commit_callbacks
):
    from types import SimpleNamespace

    from apps.techassess import importer

    from .golden import MID_MECHANICAL

    definition = methods["demo"].definition
    raw = {"tax_code": "6000777100", "name": "DN nhập", "vsic_code": "1077", "commune": "Xã A", "year": 2024}
    raw.update(MID_MECHANICAL)
    _e, _a, errors = importer.clean_row(2, {**raw, "email": "sai-dia-chi"}, definition)
    assert [(e.column, e.message) for e in errors] == [("email", "Địa chỉ thư điện tử không hợp lệ.")]
    enterprise, answers, errors = importer.clean_row(2, {**raw, "email": "giamdoc@dnnhap.vn"}, definition)
    assert errors == []
    job = SimpleNamespace(
        organization=services.handling_unit(),
        created_by=users[Role.SPECIALIST],
        methodology=methods["demo"],
        pk=1,
    )
    importer.import_row(2, enterprise, answers, job=job)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_claim(actor=claimant, tax_code="6000777100", method="email")
    assert OutboxMessage.objects.get(event=services.CLAIM_CODE_EVENT).recipient == "giamdoc@dnnhap.vn"
