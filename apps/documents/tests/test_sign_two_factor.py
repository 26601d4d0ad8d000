"""Issue 18, point 4: signing leads a signer without two-factor to set it up, and the code that
just activated the authenticator signs."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from django_otp.oath import TOTP

from apps.accounts import twofactor
from apps.documents import services
from apps.documents.models import OutgoingStatus

from .conftest import KEY_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def numbered(actors, tree, doc_types):
    doc = services.create_draft(
        actors["specialist"],
        drafting_unit=tree["tech"],
        doc_type=doc_types["KH"],
        summary="Kế hoạch chuyển đổi số",
        composition={"body": "Nội dung"},
    )
    services.submit_for_review(actors["specialist"], doc, reviewers=[actors["leader"]])
    services.review(actors["leader"], doc, approve=True)
    services.number_outgoing(actors["clerk"], doc)
    return doc


@pytest.fixture
def leader_without_device(actors, settings):
    """The demo: two-factor is offered, not forced, so a leader may sign in without any device."""
    settings.DEMO_MODE = True
    leader = actors["leader"]
    twofactor.remove_devices(leader)
    return leader


def current_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_signer_without_device_sees_the_setup_link_on_the_sign_form(client, leader_without_device, numbered):
    client.force_login(leader_without_device)
    detail = reverse("documents:outgoing_detail", args=[numbered.pk])
    page = client.get(detail).content.decode()
    assert 'id="sign-needs-two-factor"' in page
    assert "Thiết lập xác thực hai lớp trước khi ký." in page
    assert f'href="{reverse("accounts:setup")}?next={quote(detail, safe="")}"' in page
    assert 'id="sign-two-factor-demo"' in page  # the demo says how to set it up
    assert 'name="key_password"' not in page  # no form that could only fail


def test_signing_without_device_says_so_and_signs_nothing(client, leader_without_device, numbered):
    client.force_login(leader_without_device)
    url = reverse("documents:outgoing_action", args=[numbered.pk, "sign"])
    page = client.post(url, {"code": "123456", "key_password": KEY_PASSWORD}, follow=True).content.decode()
    numbered.refresh_from_db()
    assert numbered.status == OutgoingStatus.NUMBERED
    assert "Bạn chưa thiết lập xác thực hai lớp" in page


def test_signer_with_a_device_gets_the_sign_form(client, actors, numbered):
    from conftest import verified_client

    page = verified_client(client, actors["leader"]).get(
        reverse("documents:outgoing_detail", args=[numbered.pk])
    )
    page = page.content.decode()
    assert 'id="sign-needs-two-factor"' not in page and 'name="key_password"' in page


def test_the_code_that_just_activated_the_device_signs(client, leader_without_device, numbered):
    leader = leader_without_device
    client.force_login(leader)
    detail = reverse("documents:outgoing_detail", args=[numbered.pk])
    setup = f"{reverse('accounts:setup')}?next={quote(detail, safe='')}"
    assert client.get(setup).status_code == 200
    device = twofactor.pending_totp_device(leader)
    code = current_code(device)
    response = client.post(setup, {"code": code})
    assert response.status_code == 200 and 'id="recovery-codes"' in response.content.decode()
    assert f'href="{detail}" id="recovery-continue"' in response.content.decode()  # back to the document
    assert twofactor.has_confirmed_device(leader)

    url = reverse("documents:outgoing_action", args=[numbered.pk, "sign"])
    client.post(url, {"code": code, "key_password": KEY_PASSWORD})
    numbered.refresh_from_db()
    assert numbered.status == OutgoingStatus.SIGNED
    # Replay protection stays: once used for signing, the same code is refused.
    assert twofactor.verify_any(leader, code) is None
