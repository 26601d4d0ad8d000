"""The payment page reloaded (GET): the pending payment again, or the dossier, never a blank 405."""

import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.urls import reverse
from django.utils import translation

from apps.dossiers import payments
from apps.dossiers.models import Payment
from apps.organizations.roles import Role
from conftest import verified_client

from .test_payments import SECRET, notice, sandbox  # noqa: F401 - the sandbox fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def vi(settings):
    settings.LANGUAGE_CODE = "vi"
    settings.PAYMENT_SANDBOX_SECRET = SECRET
    with translation.override("vi"):
        yield


@pytest.fixture
def citizen_dossier(client, users, submit):
    citizen = users[Role.CITIZEN]
    verified_client(client, citizen)
    return submit(applicant_user=citizen)


def test_reloading_the_payment_page_shows_the_pending_payment_again(client, citizen_dossier, vi):
    url = reverse("dossiers:status_pay", args=[citizen_dossier.pk])
    started = client.post(url)
    assert started.status_code == 200
    payment = Payment.objects.get()
    reloaded = client.get(url)
    assert reloaded.status_code == 200
    body = reloaded.content.decode()
    assert f"Giao dịch {payment.reference} vẫn đang chờ thanh toán" in body
    assert "Tiếp tục đến cổng thanh toán" in body and f"reference={payment.reference}" in body
    assert "500.000" in body
    assert Payment.objects.count() == 1  # a reload opens no second transaction


def test_opening_the_payment_address_without_a_payment_goes_back_to_the_dossier(client, citizen_dossier, vi):
    url = reverse("dossiers:status_pay", args=[citizen_dossier.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].endswith("#pay-fee")
    page = client.get(response["Location"])
    assert "Hồ sơ này chưa có giao dịch nào đang chờ thanh toán." in page.content.decode()
    assert Payment.objects.count() == 0  # a GET never starts a payment


def test_reloading_after_the_fee_was_paid_says_so(client, citizen_dossier, vi):
    url = reverse("dossiers:status_pay", args=[citizen_dossier.pk])
    client.post(url)
    payments.handle_callback(payments.get_gateway(), notice(Payment.objects.get()))
    page = client.get(url, follow=True)
    assert page.status_code == 200
    assert "Phí, lệ phí của hồ sơ này đã được nộp." in page.content.decode()


def test_the_sandbox_confirmation_address_reloaded_is_not_a_bare_error(submit, sandbox):  # noqa: F811
    url, _app = sandbox
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(f"{url}/pay/confirm")  # noqa: S310
    assert exc.value.code == 405 and exc.value.headers["Allow"] == "POST"
    assert "quay lại trang hồ sơ" in exc.value.read().decode()
    gateway = payments.HmacGateway(name="sandbox", base_url=url, secret=SECRET, merchant="skhcn")
    payment = payments.start_payment(submit(), gateway=gateway)
    signed = gateway.payment_url(payment, return_url="http://localhost/r", callback_url="http://localhost/c")
    query = urllib.parse.urlparse(signed).query
    page = urllib.request.urlopen(f"{url}/pay/confirm?{query}").read().decode()  # noqa: S310
    assert payment.reference in page and 'id="sandbox-pay"' in page
