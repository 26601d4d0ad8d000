import datetime as dt

import pytest

from apps.documents import indicators, services
from apps.documents.models import IncomingDocument

from .conftest import KEY_PASSWORD

pytestmark = pytest.mark.django_db


def test_figures_count_received_issued_signed_on_time_and_active_users(actors, tree, doc_types):
    today = dt.date.today()
    a = services.register_incoming(
        actors["clerk"], organization=tree["agency"], doc_type=doc_types["TB"], sender_name="A", summary="Một"
    )
    b = services.register_incoming(
        actors["clerk"], organization=tree["agency"], doc_type=doc_types["TB"], sender_name="B", summary="Hai"
    )
    for doc, deadline in ((a, today + dt.timedelta(days=3)), (b, today - dt.timedelta(days=1))):
        services.assign_unit(actors["leader"], doc, lead_unit=tree["tech"], deadline=deadline)
        services.assign_handler(actors["head"], doc, handler=actors["specialist"])
        services.complete_incoming(actors["specialist"], doc)
    draft = services.create_draft(
        actors["specialist"],
        drafting_unit=tree["tech"],
        doc_type=doc_types["KH"],
        summary="KH",
        composition={"body": "x"},
    )
    services.submit_for_review(actors["specialist"], draft, reviewers=[actors["leader"]])
    services.review(actors["leader"], draft, approve=True)
    services.number_outgoing(actors["clerk"], draft)
    services.sign_outgoing(actors["leader"], draft, code="code0", key_password=KEY_PASSWORD)
    services.issue_outgoing(actors["clerk"], draft, external=["UBND tỉnh"])

    f = indicators.figures(tree["agency"], indicators.Period.year(today.year))
    assert (f.received, f.issued, f.issued_signed) == (2, 1, 1)
    assert str(f.signed_share) == "100.00"
    assert (f.completed_with_deadline, f.completed_on_time, str(f.on_time_share)) == (2, 1, "50.00")
    assert f.active_users == 4  # clerk, leader, unit head and specialist
    other = indicators.figures(tree["other_agency"], indicators.Period.year(today.year))
    assert other.received == 0 and other.signed_share is None
    assert IncomingDocument.objects.count() == 2
