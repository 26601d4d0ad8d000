"""Issue 15: the citizens' questions (public list and the office's queue) and the royalty lists
(items, amounts by person, contributors, frames, payment lists) render with as many queries for a
few rows as for more."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.tests.querycount import ListCase, list_query_test
from apps.organizations.roles import Role

from .site_fixtures import portal, publish_article  # noqa: F401 (fixtures)
from .test_office_support import frame, topic  # noqa: F401 (fixtures)

LISTS = [
    ListCase("core:home", None, "news_rows"),  # the portal's home: the latest news
    ListCase("/tin-tuc/", None, "news_rows"),  # the news index (a Wagtail page)
    ListCase("portal:news_feed", None, "news_rows"),
    ListCase("portal:search", None, "news_rows", {"q": "chuyen doi so"}),
    ListCase("portal:question_list", None, "published_question_rows"),
    ListCase("portal:office_questions", Role.EDITOR, "question_rows"),
    ListCase("portal:office_royalties", Role.EDITOR, "royalty_rows"),
    ListCase("portal:office_royalty_people", Role.EDITOR, "royalty_person_rows"),
    ListCase("portal:office_contributors", Role.EDITOR, "contributor_rows"),
    ListCase("portal:office_frames", Role.EDITOR, "frame_rows"),
    ListCase("portal:office_payment_lists", Role.EDITOR, "payment_list_rows"),
]

_serial = itertools.count()


@pytest.fixture
def question_rows(topic):  # noqa: F811
    from apps.portal import services_questions as qs

    def add(n):
        titles = [f"Câu hỏi về sở hữu trí tuệ {next(_serial):04d}" for _ in range(n)]
        for title in titles:
            qs.submit(
                asker_name="Nguyễn Văn Hùng",
                email="hung@example.vn",
                phone="",
                topic=topic,
                title=title,
                body="?",
            )
        return titles

    return add


@pytest.fixture
def published_question_rows(question_rows, users, tree):
    from apps.portal import services_questions as qs
    from apps.portal.models import Question

    def add(n):
        titles = question_rows(n)
        for question in Question.objects.filter(title__in=titles):
            qs.assign(users[Role.EDITOR], question, tree["tech"])
            question = qs.answer(users[Role.SPECIALIST], Question.objects.get(pk=question.pk), "Trả lời.")
            question = qs.approve(users[Role.LEADER], question)
            qs.publish(users[Role.EDITOR], question)
        return titles

    return add


@pytest.fixture
def news_rows(portal):  # noqa: F811
    def add(n):
        titles = []
        for _ in range(n):
            k = next(_serial)
            title = f"Tin chuyển đổi số {k:04d}"
            day = dt.date(2025, 1, 1) + dt.timedelta(days=k % 300)
            publish_article(portal["news"], title, day=day, category=portal["category"])
            titles.append(title)
        return titles

    return add


def _day(k):
    return dt.date(timezone.localdate().year, 1, 2) + dt.timedelta(days=k % 300)


@pytest.fixture
def contributor_rows(db):
    from apps.portal.models import RoyaltyContributor

    def add(n):
        return [
            RoyaltyContributor.objects.create(full_name=f"Cộng tác viên {next(_serial):04d}").full_name
            for _ in range(n)
        ]

    return add


@pytest.fixture
def royalty_rows(frame, users, contributor_rows):  # noqa: F811
    from apps.portal import services_royalties as rs
    from apps.portal.models import RoyaltyContributor, RoyaltyItem

    def add(n):
        titles = []
        for name in contributor_rows(n):
            k = next(_serial)
            author = RoyaltyContributor.objects.get(full_name=name)
            item = RoyaltyItem(
                title=f"Tin hoạt động {k:04d}",
                published_on=_day(k),
                genre=frame["tin"],
                coefficient=Decimal("1.5"),
            )
            rs.save_item(users[Role.EDITOR], item, [(author, Decimal(100))])
            titles.append(item.title)
        return titles

    return add


@pytest.fixture
def royalty_person_rows(royalty_rows):
    from apps.portal.models import RoyaltyItem

    def add(n):
        titles = royalty_rows(n)
        return [
            share.contributor.full_name
            for item in RoyaltyItem.objects.filter(title__in=titles)
            for share in item.shares.all()
        ]

    return add


@pytest.fixture
def frame_rows(db):
    from apps.portal.models import RoyaltyFrame, RoyaltyGenre

    def add(n):
        names = []
        for _ in range(n):
            k = next(_serial)
            f = RoyaltyFrame.objects.create(
                name=f"Khung {k:04d}", effective_from=dt.date(2020, 1, 1) + dt.timedelta(days=k)
            )
            for code in ("tin", "anh"):
                RoyaltyGenre.objects.create(
                    frame=f,
                    code=code,
                    name=f"{code} {k}",
                    min_coefficient=Decimal(1),
                    max_coefficient=Decimal(2),
                )
            names.append(f.name)
        return names

    return add


@pytest.fixture
def payment_list_rows(royalty_rows, users):
    from apps.portal import services_royalties as rs
    from apps.portal.models import RoyaltyItem

    def add(n):
        titles = []
        for title in royalty_rows(n):
            day = RoyaltyItem.objects.get(title=title).published_on
            plist, _warning = rs.create_payment_list(
                users[Role.EDITOR], title=f"Bảng {title}", period_start=day, period_end=day
            )
            titles.append(plist.title)
        return titles

    return add


test_list_queries = list_query_test(LISTS)


def test_public_questions_are_paged(client, published_question_rows):
    """Issue 18 (11): the public Q&A shows a page of answers and a pager, not every question at once."""
    from django.urls import reverse

    titles = published_question_rows(12)  # newest first: the last two are on page 2
    first = client.get(reverse("portal:question_list")).content.decode()
    second = client.get(reverse("portal:question_list"), {"page": 2}).content.decode()
    on_first = [t for t in titles if t in first]
    on_second = [t for t in titles if t in second]
    assert len(on_first) == 10 and len(on_second) == 2 and not set(on_first) & set(on_second)
    assert "?page=2" in first
