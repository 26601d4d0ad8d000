"""Issue #17, points 7, 8 and 10 (foundation side): the client's address behind the reverse proxy,
the rate limiter, the sign-in lockout per address, and the request size cap."""

import threading

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.test.client import ClientHandler
from django.urls import reverse

from apps.core.clientip import client_ip
from apps.core.ratelimit import Limit, hit_in_turn
from apps.organizations.roles import Role

PASSWORD = "Mật-khẩu-123"  # make_user's default


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_17_7_client_ip_believes_x_forwarded_for_only_from_trusted_proxies(settings):
    factory = RequestFactory()

    def ip(remote, forwarded=None):
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_ip(factory.get("/", **extra))

    settings.CQS_TRUSTED_PROXIES = []  # the default: nobody is trusted
    assert ip("203.0.113.5", "198.51.100.7") == "203.0.113.5"

    settings.CQS_TRUSTED_PROXIES = ["10.0.0.1"]
    assert ip("10.0.0.1", "198.51.100.7") == "198.51.100.7"
    # Entries left of the one our proxy wrote were sent by the client: not believed.
    assert ip("10.0.0.1", "192.0.2.66, 198.51.100.7") == "198.51.100.7"
    assert ip("203.0.113.5", "198.51.100.7") == "203.0.113.5"  # not our proxy: header ignored
    assert ip("10.0.0.1", "") == "10.0.0.1"
    assert ip("10.0.0.1", "not-an-address") == "10.0.0.1"
    assert ip("::ffff:10.0.0.1", "198.51.100.7") == "198.51.100.7"  # IPv4-mapped peer

    settings.CQS_TRUSTED_PROXIES = ["10.0.0.0/8"]  # a load balancer and nginx, both ours
    assert ip("10.0.0.1", "198.51.100.7, 10.0.0.2") == "198.51.100.7"


def test_17_7_rate_limit_counts_fixed_windows_per_identity():
    limit = Limit("test.17.window", 2, 60)
    start = 1_000_020.0  # a window boundary (multiple of 60)
    assert [limit.hit("a", now=start) for _ in range(3)] == [1, 2, 3]
    assert limit.exceeded("a", now=start) and not limit.exceeded("b", now=start)
    assert limit.retry_after(now=start + 10) == 50
    assert limit.hit("a", now=start + 60) == 1  # the next window starts from zero
    limit.undo("a", now=start + 60)
    limit.undo("a", now=start + 60)
    assert limit.count("a", now=start + 60) == 0  # never below zero

    first, second = Limit("test.17.first", 1, 10**9), Limit("test.17.second", 5, 10**9)
    assert hit_in_turn((first, "x"), (second, "y")) is None
    assert hit_in_turn((first, "x"), (second, "y")) is first
    assert second.count("y") == 1  # not used up once the first limit refused


def test_17_7_rate_limit_hits_are_atomic_under_concurrency():
    limit = Limit("test.17.parallel", 5, 10**9)
    counts, barrier = [], threading.Barrier(20)

    def hit():
        barrier.wait()
        counts.append(limit.hit("burst"))

    threads = [threading.Thread(target=hit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(1, 21))  # no two requests saw the same count
    assert sum(1 for c in counts if c <= limit.limit) == 5


def login(client, username, password, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_17_8_failed_logins_against_many_usernames_lock_the_address(client, make_user):
    make_user(Role.SPECIALIST, username="an")
    address = {"REMOTE_ADDR": "203.0.113.30"}
    answers = [login(client, f"khong-co-{i}", "sai-mat-khau", **address).status_code for i in range(20)]
    assert answers == [200] * 19 + [429]  # CQS_LOGIN_FAILURES_PER_ADDRESS, default 20
    assert login(client, "an", PASSWORD, **address).status_code == 429
    assert "_auth_user_id" not in client.session
    assert login(Client(), "an", PASSWORD, REMOTE_ADDR="198.51.100.30").status_code == 302


@pytest.mark.django_db
def test_17_8_lockout_uses_x_forwarded_for_only_behind_a_trusted_proxy(client, make_user, settings):
    settings.CQS_TRUSTED_PROXIES = ["10.0.0.1"]
    make_user(Role.SPECIALIST, username="an")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "an", "sai-mat-khau", HTTP_X_FORWARDED_FOR="198.51.100.40", **proxy)
    assert login(client, "an", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.40", **proxy).status_code == 429
    # The same account from another citizen behind the same proxy: not locked.
    assert login(Client(), "an", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.41", **proxy).status_code == 302

    # From an address that is not a trusted proxy, a changing header does not escape the lockout.
    for i in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "an", "sai-mat-khau", REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    spoofed = login(Client(), "an", PASSWORD, REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert spoofed.status_code == 429
    recorded = set(AccessAttempt.objects.filter(username="an").values_list("ip_address", flat=True))
    assert recorded == {"198.51.100.40", "203.0.113.50"}


class Untouchable:
    """A request body that must not be read."""

    def __init__(self):
        self.touched = False

    def read(self, *args):
        self.touched = True
        raise AssertionError("the request body was read")

    readline = read


def _post_huge(path: str, size: int):
    """Through the whole middleware stack, CSRF checks on, with a body that raises if read."""
    body = Untouchable()
    request = RequestFactory().generic("POST", path, REMOTE_ADDR="203.0.113.60")
    # With a CSRF cookie (any visitor has one after a GET) the CSRF check reads the form: the body.
    environ = {
        **request.environ,
        "CONTENT_TYPE": "multipart/form-data; boundary=xyz",
        "CONTENT_LENGTH": str(size),
        "wsgi.input": body,
        "HTTP_COOKIE": "csrftoken=" + "a" * 32,
    }
    response = ClientHandler(enforce_csrf_checks=True)(environ)
    return response, body


@pytest.mark.parametrize(
    "path",
    [reverse("accounts:login"), reverse("dossiers:submit_online", args=[1])],
    ids=["anonymous-login", "upload-form"],
)
def test_17_10_an_oversized_request_is_refused_before_its_body_is_read(path):
    response, body = _post_huge(path, 200 * 1024 * 1024)
    assert response.status_code == 413
    text = response.content.decode()
    assert "Dữ liệu gửi lên quá lớn" in text and "60 MB" in text
    assert not body.touched
