"""Issue #18, point 10d: the staff home counts each person's own pending, overdue and due-this-week
items per module (documents, tasks), and gives the leader an overview across the modules, with
links. The modules register their counters with core (core imports no domain app)."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.urls import reverse

from apps.documents import services
from apps.documents.models import IncomingDocument, IncomingStatus
from conftest import verified_client

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 11)  # a Wednesday: the week ends on Sunday 15/03


def _incoming(actors, tree, doc_types, n, deadline, status=IncomingStatus.IN_PROGRESS):
    from django.utils import timezone

    register = services.default_register(tree["agency"], "incoming")
    return IncomingDocument.objects.create(
        organization=tree["agency"],
        register=register,
        year=2026,
        arrival_number=n,
        arrived_at=timezone.now(),
        sender_name="UBND tỉnh Đắk Lắk",
        number_symbol=f"{n}/UBND",
        doc_type=doc_types["Công văn"],
        summary=f"Văn bản số {n}",
        status=status,
        deadline=deadline,
        lead_unit=tree["tech"],
        handler=actors["specialist"],
        leader=actors["leader"],
        created_by=actors["clerk"],
    )


def _assignment(actors, tree, due, status="in_progress"):
    from apps.tasks.models import Assignment, Task

    task = Task.objects.create(
        organization=tree["agency"],
        title=f"Nhiệm vụ hạn {due:%d/%m}",
        due_date=due,
        assigned_by=actors["leader"],
        assigned_on=TODAY - dt.timedelta(days=20),
    )
    return Assignment.objects.create(
        task=task,
        unit=tree["tech"],
        assignee=actors["specialist"],
        status=status,
        due_date=due,
        original_due_date=due,
    )


def _counters(html: str, module: str) -> dict[str, int]:
    """{label: number} of a module's card (or of the leader's overview rows of that module)."""
    label = r'<(?:a href="[^"]*"|span)>([^<]+)</(?:a|span)>'
    rows = re.findall(rf'data-counter="{module}-\d+">.*?{label}.*?counter-value">(\d+)<', html, re.S)
    return {label.strip(): int(value) for label, value in rows}


@pytest.fixture
def work(actors, tree, doc_types):
    _incoming(actors, tree, doc_types, 1, TODAY - dt.timedelta(days=1))  # overdue
    _incoming(actors, tree, doc_types, 2, TODAY + dt.timedelta(days=3))  # due Saturday: this week
    _incoming(actors, tree, doc_types, 3, TODAY + dt.timedelta(days=10))  # later
    _incoming(actors, tree, doc_types, 4, None, status=IncomingStatus.SUBMITTED)  # for the leader
    draft = services.create_draft(
        actors["specialist"],
        drafting_unit=tree["tech"],
        doc_type=doc_types["BC"],
        summary="Báo cáo quý",
        composition={"body": "Nội dung"},
    )
    services.submit_for_review(actors["specialist"], draft, reviewers=[actors["head"], actors["leader"]])
    _assignment(actors, tree, TODAY - dt.timedelta(days=2))  # overdue
    _assignment(actors, tree, TODAY + dt.timedelta(days=2))  # this week
    _assignment(actors, tree, TODAY + dt.timedelta(days=30))
    _assignment(actors, tree, TODAY - dt.timedelta(days=5), status="reported")  # waits for the leader
    return draft


def _home(client, user, settings):
    settings.LANGUAGE_CODE = "vi"
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        return verified_client(client, user).get(reverse("core:staff_home")).content.decode()


def test_specialist_sees_their_own_counts_per_module(client, actors, work, settings):
    html = _home(client, actors["specialist"], settings)
    assert _counters(html, "documents") == {
        "Dự thảo văn bản đi chờ tôi cho ý kiến": 0,
        "Văn bản đến tôi đang xử lý": 3,
        "trong đó quá hạn": 1,
        "trong đó đến hạn trong tuần này": 1,
    }
    assert _counters(html, "tasks") == {
        "Nhiệm vụ của tôi chưa hoàn thành": 3,
        "trong đó quá hạn": 1,
        "trong đó đến hạn trong tuần này": 1,
    }
    assert 'id="leader-overview"' not in html  # not a leader


def test_the_review_counter_follows_the_chain(client, actors, work, settings):
    # The unit head reviews first: the draft counts for them, not yet for the leader.
    assert (
        _counters(_home(client, actors["head"], settings), "documents")[
            "Dự thảo văn bản đi chờ tôi cho ý kiến"
        ]
        == 1
    )
    client.logout()
    leader_home = _home(client, actors["leader"], settings)
    assert "Dự thảo văn bản đi chờ tôi cho ý kiến</a>" in leader_home
    overview = leader_home.split('id="leader-overview"')[1].split("</section>")[0]
    cards = leader_home.split("</section>")[-1]
    assert _counters(cards, "documents")["Dự thảo văn bản đi chờ tôi cho ý kiến"] == 0
    assert _counters(cards, "documents")["Văn bản đến chờ tôi cho ý kiến chỉ đạo"] == 1
    assert _counters(cards, "tasks")["Kết quả chờ tôi nghiệm thu"] == 1

    # The leader's overview across the modules, each figure a link to its list.
    assert "Tổng quan các phân hệ" in leader_home
    assert _counters(overview, "documents") == {
        "Văn bản đến đang được xử lý": 3,
        "trong đó quá hạn": 1,
        "Dự thảo văn bản đi đang trình xem xét": 1,
    }
    assert _counters(overview, "tasks") == {
        "Nhiệm vụ đang thực hiện trong hạn": 2,
        "Nhiệm vụ quá hạn": 1,
        "Kết quả chờ nghiệm thu": 1,
    }
    assert f'href="{reverse("tasks:board")}"' in overview
    assert f'href="{reverse("documents:outgoing_list")}?status=in_review"' in overview

    services.review(actors["head"], work, approve=True)
    client.logout()
    assert (
        _counters(_home(client, actors["leader"], settings).split("</section>")[-1], "documents")[
            "Dự thảo văn bản đi chờ tôi cho ý kiến"
        ]
        == 1
    )
