"""Reference counters: formats, restart periods, rollback without gaps, and parallel takers."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from django.utils import timezone

from apps.core.counters.models import Counter, CounterDefinition, ResetPeriod
from apps.core.counters.service import format_reference, next_number

DAY = dt.date(2026, 11, 27)
H19 = "000.00.00.H19"


@pytest.fixture
def outgoing(db):
    return CounterDefinition.objects.create(
        key="van-ban-di", name="Sổ văn bản đi", format="{seq:02d}/{doc_type}-SKHCN", reset=ResetPeriod.YEARLY
    )


@pytest.fixture
def dossiers(db):
    return CounterDefinition.objects.create(
        key="ho-so", name="Mã hồ sơ", format="{org_code}-{date}-{seq:04d}", reset=ResetPeriod.DAILY
    )


def test_document_number_has_leading_zero_below_ten(outgoing):
    assert format_reference("van-ban-di", at=DAY, doc_type="KH") == "01/KH-SKHCN"
    assert format_reference("van-ban-di", at=DAY, doc_type="QĐ") == "02/QĐ-SKHCN"


def test_document_number_after_171_is_172(outgoing):
    Counter.objects.create(key="van-ban-di", period="2026", value=171)
    assert format_reference("van-ban-di", at=DAY, doc_type="KH") == "172/KH-SKHCN"


def test_document_numbers_restart_on_first_of_january(outgoing):
    assert next_number("van-ban-di", at=dt.date(2026, 12, 31)) == 1
    assert next_number("van-ban-di", at=dt.date(2026, 12, 31)) == 2
    assert format_reference("van-ban-di", at=dt.date(2027, 1, 1), doc_type="KH") == "01/KH-SKHCN"
    assert next_number("van-ban-di", at=dt.date(2026, 6, 1)) == 3  # the 2026 series goes on
    assert set(Counter.objects.values_list("period", "value")) == {("2026", 3), ("2027", 1)}


def test_dossier_code_restarts_every_day(dossiers, tree):
    agency = tree["agency"]
    assert format_reference("ho-so", organization=agency, at=DAY, org_code=H19) == f"{H19}-261127-0001"
    assert format_reference("ho-so", organization=agency, at=DAY, org_code=H19) == f"{H19}-261127-0002"
    next_day = DAY + dt.timedelta(days=1)
    assert format_reference("ho-so", organization=agency, at=next_day, org_code=H19) == f"{H19}-261128-0001"


def test_series_are_separate_per_organisation(dossiers, tree):
    assert next_number("ho-so", organization=tree["agency"], at=DAY) == 1
    assert next_number("ho-so", organization=tree["other_agency"], at=DAY) == 1
    assert next_number("ho-so", at=DAY) == 1  # the shared series (no organisation)
    assert next_number("ho-so", at=DAY) == 2
    assert next_number("ho-so", organization=tree["agency"], at=DAY) == 2


def test_org_code_defaults_to_the_organisation_code(dossiers, tree):
    assert format_reference("ho-so", organization=tree["agency"], at=DAY) == "t-skhcn-261127-0001"


def test_aware_datetime_is_converted_to_the_local_date(dossiers):
    # 20:00 UTC on 26 November is 03:00 on 27 November in Asia/Ho_Chi_Minh.
    late_utc = dt.datetime(2026, 11, 26, 20, 0, tzinfo=dt.UTC)
    assert format_reference("ho-so", at=late_utc, org_code=H19) == f"{H19}-261127-0001"
    assert Counter.objects.get(key="ho-so").period == "2026-11-27"


def test_default_date_is_today_in_local_time(outgoing):
    next_number("van-ban-di")
    assert Counter.objects.get(key="van-ban-di").period == str(timezone.localdate().year)


def test_never_reset_uses_one_series(db):
    CounterDefinition.objects.create(key="tai-san", name="Mã tài sản", format="TS-{seq:05d}", reset="never")
    assert format_reference("tai-san", at=dt.date(2026, 1, 1)) == "TS-00001"
    assert format_reference("tai-san", at=dt.date(2030, 5, 5)) == "TS-00002"
    assert Counter.objects.get(key="tai-san").period == "all"


def test_date_fields(db):
    CounterDefinition.objects.create(
        key="d", name="d", format="{year}/{yy}{mm}{dd}/{date}/{seq}", reset="daily"
    )
    assert format_reference("d", at=dt.date(2026, 3, 5)) == "2026/260305/260305/1"


def test_missing_definition_gives_plain_number_with_yearly_restart(db):
    assert format_reference("chua-khai-bao", at=DAY) == "1"
    assert format_reference("chua-khai-bao", at=DAY) == "2"
    assert format_reference("chua-khai-bao", at=dt.date(2027, 1, 1)) == "1"


def test_missing_field_is_a_clear_error_and_takes_no_number(outgoing):
    with pytest.raises(ValueError, match="doc_type"):
        format_reference("van-ban-di", at=DAY)
    assert not Counter.objects.exists()
    assert format_reference("van-ban-di", at=DAY, doc_type="KH") == "01/KH-SKHCN"


def test_rollback_gives_the_number_back(outgoing):
    assert next_number("van-ban-di", at=DAY) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number("van-ban-di", at=DAY) == 2
        raise RuntimeError("the caller's save failed")
    assert next_number("van-ban-di", at=DAY) == 2


def test_rollback_of_the_first_number_leaves_no_row(outgoing):
    with pytest.raises(RuntimeError), transaction.atomic():
        next_number("van-ban-di", at=DAY)
        raise RuntimeError
    assert not Counter.objects.exists()
    assert next_number("van-ban-di", at=DAY) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_org", [False, True], ids=["shared", "per-organisation"])
def test_parallel_takers_get_distinct_consecutive_numbers(with_org):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from apps.organizations.models import Organization, OrganizationKind

    CounterDefinition.objects.create(key="song-song", name="Song song", reset=ResetPeriod.YEARLY)
    org = (
        Organization.objects.create(name="Sở KH&CN", code="ss-skhcn", kind=OrganizationKind.AGENCY)
        if with_org
        else None
    )

    def take(_):
        try:
            with transaction.atomic():
                return next_number("song-song", organization=org, at=DAY)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=16) as pool:
        numbers = list(pool.map(take, range(50)))

    assert sorted(numbers) == list(range(1, 51))
    assert Counter.objects.get(key="song-song").value == 50


def test_admin_shows_counters_read_only(client, outgoing, admin_user):
    from conftest import verified_client

    Counter.objects.create(key="van-ban-di", period="2026", value=171)
    client = verified_client(client, admin_user)
    page = client.get("/quan-tri-he-thong/core/counter/")
    assert page.status_code == 200
    assert "171" in page.content.decode()
    assert client.get("/quan-tri-he-thong/core/counter/add/").status_code == 403
    assert client.get("/quan-tri-he-thong/core/counterdefinition/add/").status_code == 200
    assert client.get("/quan-tri-he-thong/core/counterdefinition/").status_code == 200
