import time

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.audit.models import AuditEvent
from apps.organizations.roles import Role

PASSWORD = "Mật-khẩu-123"


def login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_even_with_the_right_password(client, make_user):
    make_user(Role.SPECIALIST, username="an")
    for _ in range(2):
        response = login(client, "an", "sai-mat-khau")
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
    locked = login(client, "an", "sai-mat-khau")
    assert locked.status_code == 429
    assert login(client, "an").status_code == 429  # right password, still locked
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_specialist_signs_in_without_second_factor(client, make_user):
    make_user(Role.SPECIALIST, username="an")
    response = login(client, "an")
    assert response.status_code == 302
    assert client.get(reverse("core:staff_home")).status_code == 200


@pytest.mark.django_db
@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)  # django-otp delays retries after a wrong code
def test_leader_must_enrol_then_verify_with_totp(client, make_user):
    make_user(Role.LEADER, username="lanhdao")
    assert login(client, "lanhdao").status_code == 302
    # Held at enrolment: every page redirects to the set-up page.
    response = client.get(reverse("core:staff_home"))
    assert response.status_code == 302 and response.url == reverse("accounts:setup")

    page = client.get(reverse("accounts:setup"))
    assert page.status_code == 200 and b"data:image/svg+xml" in page.content
    device = TOTPDevice.objects.get(user__username="lanhdao", confirmed=False)

    wrong = client.post(
        reverse("accounts:setup"), {"code": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed

    done = client.post(reverse("accounts:setup"), {"code": current_code(device)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.get(reverse("core:staff_home")).status_code == 200

    # Next sign-in asks for the code before anything else.
    client.post(reverse("accounts:logout"))
    assert login(client, "lanhdao").status_code == 302
    held = client.get(reverse("accounts:profile"))
    assert held.status_code == 302 and held.url.startswith(reverse("accounts:verify"))
    device.refresh_from_db()
    device.last_t = -1  # allow reuse of the current time step within this test
    device.save()
    ok = client.post(reverse("accounts:verify"), {"code": current_code(device)})
    assert ok.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert AuditEvent.objects.filter(verb="two_factor_passed", object_id=str(device.user_id)).exists()


@pytest.mark.django_db
def test_recovery_code_works_once(client, make_user):
    user = make_user(Role.ADMINISTRATOR, username="qt")
    from apps.accounts import twofactor

    device = twofactor.pending_totp_device(user)
    device.confirmed = True
    device.save()
    codes = twofactor.regenerate_recovery_codes(user)

    login(client, "qt")
    assert client.post(reverse("accounts:verify"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200

    client.post(reverse("accounts:logout"))
    login(client, "qt")
    reused = client.post(reverse("accounts:verify"), {"code": codes[0]})
    assert reused.status_code == 200
    assert "code" in reused.context["form"].errors
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_demo_mode_offers_two_factor_instead_of_enforcing_it(client, make_user):
    make_user(Role.LEADER, username="lanhdao")
    login(client, "lanhdao")
    assert client.get(reverse("core:staff_home")).status_code == 200


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_login_page_says_when_two_factor_is_not_enforced(client):
    demo = client.get(reverse("accounts:login"))
    with override_settings(DEMO_MODE=False):
        normal = client.get(reverse("accounts:login"))
    assert demo.context["DEMO_MODE"] is True and normal.context["DEMO_MODE"] is False
    assert len(demo.content) > len(normal.content)


@pytest.mark.django_db
@override_settings(SESSION_IDLE_TIMEOUT=60)
def test_idle_session_ends(client, make_user):
    make_user(Role.SPECIALIST, username="an")
    login(client, "an")
    assert client.get(reverse("accounts:profile")).status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 61
    session.save()
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.django_db
def test_pages_do_not_rewrite_the_session_on_every_request(client, make_user):
    make_user(Role.SPECIALIST, username="an")
    login(client, "an")
    session = client.session
    recently = int(time.time()) - 5
    session["last_seen"] = recently
    session.save()
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.session["last_seen"] == recently  # not written again within the minute
    session = client.session
    session["last_seen"] = int(time.time()) - 120
    session.save()
    client.get(reverse("accounts:profile"))
    assert client.session["last_seen"] >= int(time.time()) - 5  # an older mark is refreshed


@pytest.mark.django_db
def test_suspended_account_cannot_sign_in(client, make_user):
    user = make_user(Role.SPECIALIST, username="an")
    user.status = "suspended"
    user.save()
    response = login(client, "an")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_policy_rejects_weak_passwords(client, users):
    from conftest import verified_client

    verified_client(client, users[Role.ADMINISTRATOR])
    org = users[Role.SPECIALIST].memberships.first().organization
    response = client.post(
        reverse("accounts:account_create"),
        {
            "username": "yeu",
            "full_name": "Mật Khẩu Yếu",
            "email": "y@example.vn",
            "organization": org.pk,
            "role": "specialist",
            "password": "abcdefghij",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
