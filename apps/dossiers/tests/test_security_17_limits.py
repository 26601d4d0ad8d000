"""Issue #17, points 7 and 9: the public status lookup and the one-time codes are rate-limited per
client (the real one behind the trusted proxy) without being turned against the citizen."""

import re
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from apps.core.notifications.models import OutboxMessage
from apps.dossiers import status_links

from .conftest import APPLICANT

pytestmark = pytest.mark.django_db

PHONE = APPLICANT["applicant_phone"]
LIMITED_VI = re.compile(r"Bạn đã thử quá nhiều lần\. Vui lòng thử lại sau \d+ phút\.")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # the counters live in the cache


def vietnamese(client: Client) -> Client:
    client.cookies["django_language"] = "vi"
    return client


def lookup(client, code, factor, **extra):
    return client.post(reverse("dossiers:status"), {"code": code, "factor": factor}, **extra)


def test_17_7_failures_from_other_clients_do_not_lock_the_owner_out(client, submit):
    dossier = submit()
    attacker = Client()
    for _ in range(15):
        lookup(attacker, dossier.code, "0999999999", REMOTE_ADDR="203.0.113.9")
    owner = lookup(client, dossier.code, PHONE, REMOTE_ADDR="198.51.100.7")
    assert owner.status_code == 302
    assert client.get(owner["Location"]).status_code == 200


def test_17_7_a_client_over_its_own_limit_is_refused_in_vietnamese(client, submit):
    dossier = submit()
    vietnamese(client)
    for i in range(10):
        assert lookup(client, f"X-{i}", PHONE, REMOTE_ADDR="203.0.113.10").status_code == 200
    refused = lookup(client, dossier.code, PHONE, REMOTE_ADDR="203.0.113.10")  # even the right answer
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert LIMITED_VI.search(refused.content.decode())
    assert lookup(Client(), dossier.code, PHONE, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_17_7_correct_lookups_do_not_use_up_the_allowance(client, submit):
    dossier = submit()
    for _ in range(9):
        lookup(client, "X-1", PHONE, REMOTE_ADDR="198.51.100.9")
    for _ in range(5):  # an office that looks up its dossiers again and again
        assert lookup(client, dossier.code, PHONE, REMOTE_ADDR="198.51.100.9").status_code == 302
    assert lookup(client, "X-2", PHONE, REMOTE_ADDR="198.51.100.9").status_code == 200


def test_17_7_a_code_under_attack_gives_each_client_only_three_tries(client, submit):
    dossier = submit()
    for i in range(12):  # a distributed guess: many addresses, a few tries each
        lookup(Client(), dossier.code, f"09000000{i:02d}", REMOTE_ADDR=f"203.0.113.{100 + i}")
    guesser = Client()
    tries = [lookup(guesser, dossier.code, "0911111111", REMOTE_ADDR="203.0.113.50") for _ in range(3)]
    assert [r.status_code for r in tries] == [200, 200, 200]
    assert lookup(guesser, dossier.code, PHONE, REMOTE_ADDR="203.0.113.50").status_code == 429
    assert lookup(client, dossier.code, PHONE, REMOTE_ADDR="198.51.100.10").status_code == 302


def test_17_7_behind_the_trusted_proxy_each_citizen_has_their_own_counter(client, submit, settings):
    settings.CQS_TRUSTED_PROXIES = ["10.0.0.1"]
    dossier = submit()
    via_proxy = {"REMOTE_ADDR": "10.0.0.1"}
    noisy = Client()
    for i in range(10):
        lookup(noisy, f"X-{i}", PHONE, HTTP_X_FORWARDED_FOR="198.51.100.20", **via_proxy)
    again = lookup(noisy, dossier.code, PHONE, HTTP_X_FORWARDED_FOR="198.51.100.20", **via_proxy)
    assert again.status_code == 429
    other = lookup(client, dossier.code, PHONE, HTTP_X_FORWARDED_FOR="198.51.100.21", **via_proxy)
    assert other.status_code == 302

    # From an address that is not a trusted proxy the header is the sender's own claim: ignored.
    spoofer = Client()
    for i in range(10):
        lookup(spoofer, f"X-{i}", PHONE, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    blocked = lookup(
        spoofer, dossier.code, PHONE, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.99"
    )
    assert blocked.status_code == 429


def test_17_7_status_pages_are_not_addressed_by_the_sequential_id(client, submit):
    dossier = submit()
    found = lookup(client, dossier.code, PHONE)
    assert found.status_code == 302
    token = re.fullmatch(r"/ho-so/tra-cuu/([^/]+)/", found["Location"]).group(1)
    assert not token.isdigit() and str(dossier.pk) != token
    page = client.get(found["Location"])
    assert page.status_code == 200
    links = re.findall(r'(?:href|action)="(/ho-so/tra-cuu/[^"]*)"', page.content.decode())
    assert links and all(f"/tra-cuu/{dossier.pk}/" not in link for link in links)

    # This session may see the dossier, yet neither its id nor a forged or stale token opens it.
    assert client.get(f"/ho-so/tra-cuu/{dossier.pk}/").status_code == 404
    forged = signing.dumps(dossier.pk, salt="another-salt")
    assert client.get(f"/ho-so/tra-cuu/{forged}/").status_code == 404

    class Yesterday(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - status_links.max_age() - 60)

    stale = Yesterday(salt=status_links.SALT).sign_object(dossier.pk)
    assert client.get(f"/ho-so/tra-cuu/{stale}/").status_code == 404


def _codes_to(recipient):
    return OutboxMessage.objects.filter(event="dossier_contact_code", recipient=recipient).count()


def test_17_9_codes_to_one_recipient_are_limited(client, catalogue):
    vietnamese(client)
    url = reverse("dossiers:verify_contact")
    answers = [
        client.post(url, {"email": "nan-nhan@example.vn"}, REMOTE_ADDR=f"203.0.113.{i}").status_code
        for i in range(15)
    ]
    assert _codes_to("nan-nhan@example.vn") == 3
    assert answers == [200] * 3 + [429] * 12
    refused = client.post(url, {"email": "nan-nhan@example.vn"}, REMOTE_ADDR="203.0.113.200")
    assert LIMITED_VI.search(refused.content.decode())
    # Someone else's address is not affected.
    assert client.post(url, {"email": "khac@example.vn"}, REMOTE_ADDR="198.51.100.1").status_code == 200
    assert _codes_to("khac@example.vn") == 1


def test_17_9_codes_from_one_address_are_limited(client, catalogue):
    url = reverse("dossiers:verify_contact")
    answers = [
        client.post(url, {"email": f"nguoi-{i}@example.vn"}, REMOTE_ADDR="203.0.113.77").status_code
        for i in range(15)
    ]
    assert answers == [200] * 10 + [429] * 5
    assert OutboxMessage.objects.filter(event="dossier_contact_code").count() == 10
    assert client.post(url, {"email": "nguoi-99@example.vn"}, REMOTE_ADDR="198.51.100.2").status_code == 200


def test_online_submissions_are_limited_per_citizen_and_only_created_ones_count(
    client, users, catalogue, media, make_user, monkeypatch
):
    from apps.core import ratelimit
    from apps.dossiers import views
    from apps.dossiers.models import Dossier
    from apps.organizations.roles import Role
    from conftest import verified_client

    from .conftest import upload

    monkeypatch.setattr(views, "SUBMIT_SUBMITTER", ratelimit.Limit("dossiers.submit.submitter", 2, 3600))

    def send(browser, key, complete=True):
        data = {**APPLICANT, "f_purpose": "X", "idempotency_key": key, "doc_don": upload()}
        if complete:
            data["doc_giayphep"] = upload("b.pdf", "B")
        return browser.post(reverse("dossiers:submit_online", args=[1]), data)

    vietnamese(verified_client(client, users[Role.CITIZEN]))
    assert send(client, "missing-a-document", complete=False).status_code == 200  # corrected later
    assert send(client, "k1").status_code == 302
    assert send(client, "k2").status_code == 302
    refused = send(client, "k3")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert LIMITED_VI.search(refused.content.decode())
    assert Dossier.objects.count() == 2
    other = vietnamese(verified_client(Client(), make_user(Role.CITIZEN, username="cong-dan-khac")))
    assert send(other, "k1").status_code == 302  # another citizen keeps their own allowance
