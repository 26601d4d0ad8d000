"""The statistics ledger: figures survive the purge of old dossiers; the dashboard reads it."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.dossiers import indicators, ledger, seed, services
from apps.dossiers.models import Dossier, Payment, StatisticsEntry, StatusChange, SupplementRequest
from apps.organizations.models import Organization
from apps.organizations.roles import Role
from conftest import verified_client

from .conftest import monday_9am, version

pytestmark = pytest.mark.django_db

PLAN_START, PLAN_END = dt.date(2021, 1, 1), dt.date(2021, 10, 4)


@pytest.fixture
def demo(catalogue, media, settings):
    from apps.accounts.demo import seed_foundation

    seed_foundation()
    unit = Organization.objects.get(code="skhcn-qlcn").pk
    catalogue.versions.clear()
    for i, level in enumerate([2, 2, 3, 3, 4, 4], start=10):
        catalogue.add(version(i, unit_id=unit, level=level, fee=level == 4))
    return seed.seed()


def _all_figures(agency, start, end):
    return {
        name: getattr(indicators, name)(agency, start, end)
        for name in (
            "dossiers_received",
            "handled_through_system",
            "timeliness",
            "online_rate",
            "online_payment_rate",
            "digitisation_rate",
            "average_processing_days",
        )
    }


def _purge(queryset):
    """What a retention purge does: the dossiers and everything that hangs off them go."""
    ids = list(queryset.values_list("pk", flat=True))
    Payment.objects.filter(dossier__in=ids).delete()
    StatusChange.objects.filter(dossier__in=ids).delete()
    SupplementRequest.objects.filter(dossier__in=ids).delete()
    Dossier.objects.filter(pk__in=ids).update(result_file=None)
    Dossier.objects.filter(pk__in=ids).delete()
    return len(ids)


def test_plan_figures_survive_a_purge_of_the_2021_dossiers(demo):
    agency = Organization.objects.get(code="skhcn")
    this_year = dt.date.today().year
    before_2021 = _all_figures(agency, PLAN_START, PLAN_END)
    before_now = _all_figures(agency, dt.date(this_year, 1, 1), dt.date(this_year, 12, 31))
    assert before_2021["dossiers_received"]["by_level"] == {2: 13, 3: 26, 4: 8}

    purged = _purge(Dossier.objects.filter(received_at__year=2021))

    assert purged == 47
    assert not Dossier.objects.filter(received_at__year=2021).exists()
    assert _all_figures(agency, PLAN_START, PLAN_END) == before_2021
    assert _all_figures(agency, dt.date(this_year, 1, 1), dt.date(this_year, 12, 31)) == before_now
    received = indicators.dossiers_received(agency, PLAN_START, PLAN_END)
    assert received["shares"] == {2: "27,66%", 3: "55,32%", 4: "17,02%"}
    assert indicators.handled_through_system(agency, PLAN_START, PLAN_END)["share"] == "100,00%"


def test_the_ledger_counts_each_event_once(demo):
    entries = StatisticsEntry.objects.count()
    assert ledger.backfill() == 0
    assert seed.seed()["statistics_entries"] == 0
    assert StatisticsEntry.objects.count() == entries


def test_the_services_count_in_the_same_transaction(users, submit):
    dossier = submit()
    officer = users[Role.ONE_STOP_OFFICER]
    assert list(StatisticsEntry.objects.values_list("kind", flat=True)) == ["submitted"]
    services.act(dossier.pk, "receive", actor=officer, at=monday_9am())
    received = StatisticsEntry.objects.get(kind="received")
    assert received.dossier_ref == dossier.pk and received.channel == "online"
    assert received.digitised  # both components were uploaded
    # A refused transition leaves no entry behind.
    with pytest.raises(services.TransitionError):
        services.act(dossier.pk, "return_result", actor=officer)
    assert StatisticsEntry.objects.count() == 2
    # The entry has no personal data of the applicant.
    values = " ".join(str(v) for v in StatisticsEntry.objects.values_list(named=True).first())
    assert dossier.applicant_name not in values and dossier.applicant_phone not in values


def test_dashboard_breakdowns_filters_and_excel(client, users, demo):
    verified_client(client, users[Role.ADMINISTRATOR])
    url = reverse("dossiers:statistics")
    page = client.get(url, {"start": "2021-01-01", "end": "2021-10-04"})
    assert page.status_code == 200
    figures = page.context["figures"]
    assert figures["received"] == 47
    assert sum(n for _label, n in figures["by_field"]) == 47
    assert sum(n for _label, n in figures["by_channel"]) == 47
    assert sum(n for _label, n in figures["by_procedure"]) == 47
    labels = [str(label) for label, *_rest in page.context["rates"]]
    assert "Submitted online" in labels and "Components digitised at reception" in labels
    assert b"chart-period" in page.content and b"<script>" not in page.content

    level3 = client.get(url, {"start": "2021-01-01", "end": "2021-10-04", "level": "3"})
    assert level3.context["figures"]["received"] == 26
    walk_in = client.get(url, {"start": "2021-01-01", "end": "2021-10-04", "channel": "walk_in"})
    online = client.get(url, {"start": "2021-01-01", "end": "2021-10-04", "channel": "online"})
    assert walk_in.context["figures"]["received"] + online.context["figures"]["received"] == 47

    export = client.get(url, {"start": "2021-01-01", "end": "2021-10-04", "export": "xlsx"})
    assert export.status_code == 200
    rows = [tuple(r) for r in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)]
    assert ("Hồ sơ tiếp nhận", 47) in rows
    assert ("Mức độ 3", "26 (55,32%)") in rows
    assert any(r[0] == "Theo lĩnh vực" for r in rows)


def test_overdue_list_on_the_dashboard(client, users, demo):
    verified_client(client, users[Role.ADMINISTRATOR])
    page = client.get(reverse("dossiers:statistics"))
    overdue = list(page.context["overdue"])
    assert overdue and all(d.is_overdue for d in overdue)
    assert overdue[0].code.encode() in page.content
