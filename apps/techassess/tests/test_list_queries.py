"""Issue 15: the survey list, ownership claims, methodologies, Circular 04 results and the results
API render with as many queries for a few rows as for more."""

import datetime
import itertools

import pytest

from apps.core.tests.querycount import ListCase, list_query_test
from apps.organizations.roles import Role

from .golden import MID_MECHANICAL

LISTS = [
    ListCase("techassess:home", Role.SPECIALIST, "survey_rows"),
    ListCase("techassess:home", Role.LEADER, "survey_rows"),
    ListCase("techassess:claim_list", Role.SPECIALIST, "claim_rows"),
    ListCase("techassess:methodology_list", Role.SPECIALIST, "methodology_rows"),
    ListCase("techassess:legacy_list", Role.SPECIALIST, "legacy_rows"),
    ListCase("api:techassess:results", Role.SPECIALIST, "survey_rows"),
]

_serial = itertools.count()


@pytest.fixture
def enterprises(methods, make_user):
    from apps.techassess import services

    def make(n):
        made = []
        for _ in range(n):
            k = next(_serial)
            owner = make_user(Role.CITIZEN, username=f"chu-dn-{k:04d}")
            made.append(
                services.register_enterprise(
                    actor=owner,
                    data={
                        "name": f"Doanh nghiệp {k:04d}",
                        "tax_code": f"60{k:08d}",
                        "vsic_code": "2592",
                        "commune": "Xã A",
                    },
                )
            )
        return made

    return make


@pytest.fixture
def survey_rows(enterprises, users):
    """Enterprises with an accepted survey (a result) each."""
    from apps.techassess import services

    def add(n):
        names = []
        for enterprise in enterprises(n):
            survey = services.start_survey(actor=enterprise.owner, enterprise=enterprise, year=2024)
            survey.answers = dict(MID_MECHANICAL)
            survey.save()
            services.submit(survey, actor=enterprise.owner)
            services.accept(survey, actor=users[Role.SPECIALIST])
            names.append(enterprise.name)
        return names

    return add


@pytest.fixture
def claim_rows(enterprises, make_user):
    from apps.techassess.models import EnterpriseClaim

    def add(n):
        names = []
        for enterprise in enterprises(n):
            claimant = make_user(Role.CITIZEN, username=f"nguoi-nhan-{next(_serial):04d}")
            EnterpriseClaim.objects.create(enterprise=enterprise, user=claimant, method="officer")
            names.append(enterprise.name)
        return names

    return add


@pytest.fixture
def methodology_rows(methods):
    from apps.techassess.models import Methodology

    demo = methods["demo"]

    def add(n):
        titles = []
        for _ in range(n):
            k = next(_serial)
            Methodology.objects.create(
                code=demo.code,
                version=f"q{k:04d}",
                title=f"Phương pháp {k:04d}",
                effective_from=datetime.date(2024, 1, 1),
                definition=demo.definition,
            )
            titles.append(f"Phương pháp {k:04d}")
        return titles

    return add


@pytest.fixture
def legacy_rows(enterprises, methods, tree):
    from apps.techassess.models import LegacyResult

    def add(n):
        names = []
        for enterprise in enterprises(n):
            LegacyResult.objects.create(
                enterprise=enterprise,
                year=2016,
                methodology=methods["demo"],
                methodology_label="Thông tư 04/2014",
                groups={"T": 20.5},
                total=55,
                class_name="Trung bình",
                organization=tree["tech"],
            )
            names.append(enterprise.name)
        return names

    return add


test_list_queries = list_query_test(LISTS)
