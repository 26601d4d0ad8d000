"""End-to-end in Chromium: on the components step, a refused file leaves the accepted one attached,
shown by name with a "remove" button; the citizen adds only the missing file and submits (issue #18.6)."""

import pytest

from apps.dossiers.models import Dossier, State
from apps.organizations.roles import Role

from .conftest import APPLICANT, pdf_bytes
from .test_e2e import page_as, serious

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_refused_file_does_not_wipe_the_accepted_one(
    browser, live_server, users, catalogue, media, settings
):
    settings.LANGUAGE_CODE = "vi"
    pdf = {"mimeType": "application/pdf", "buffer": pdf_bytes("Don de nghi")}
    page = page_as(browser, live_server, users[Role.CITIZEN])
    page.goto(f"{live_server.url}/ho-so/nop-truc-tuyen/1/")
    for field in ("applicant_name", "applicant_address", "applicant_phone"):
        page.fill(f"#{field}", APPLICANT[field])
    page.click("#next-step")
    page.wait_for_url("**step=2")
    page.fill("#f_purpose", "Sử dụng thiết bị X-quang")
    page.click("#next-step")
    page.wait_for_url("**step=3")

    page.set_input_files("#doc_don", files=[{"name": "don-de-nghi.pdf", **pdf}])
    not_a_pdf = {"name": "giay-phep.pdf", "mimeType": "application/pdf", "buffer": b"MZ" + b"\0" * 300}
    page.set_input_files("#doc_giayphep", files=[not_a_pdf])
    page.set_input_files("#doc_khac", files=[{"name": "khac.pdf", **pdf}])
    page.click("#next-step")
    page.wait_for_selector("[data-uploaded=don]")
    assert "Nội dung tệp không khớp với đuôi .pdf" in page.locator("form[enctype]").inner_text()
    assert "don-de-nghi.pdf" in page.locator("[data-uploaded=don]").inner_text()
    assert page.locator("[data-uploaded=giayphep]").count() == 0
    assert serious(page) == []

    page.click("[data-remove=khac]")  # the "remove" button of an attached file
    page.wait_for_selector("text=đã được gỡ khỏi hồ sơ")
    assert page.locator("[data-uploaded=khac]").count() == 0
    assert page.locator("[data-uploaded=don]").count() == 1

    page.set_input_files("#doc_giayphep", files=[{"name": "gp.pdf", **pdf}])  # only the missing file
    page.click("#next-step")
    page.wait_for_url("**step=4")
    assert "don-de-nghi.pdf" in page.locator("#review").inner_text()
    page.click("#submit-dossier")
    page.wait_for_selector("#citizen-state")
    dossier = Dossier.objects.get()
    assert dossier.state == State.SUBMITTED
    names = dict(dossier.documents.exclude(file=None).values_list("code", "file__original_name"))
    assert names == {"don": "don-de-nghi.pdf", "giayphep": "gp.pdf"}
