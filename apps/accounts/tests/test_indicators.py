import pytest

from apps.accounts.indicators import Period, account_figures
from apps.core.demo import seed
from apps.organizations.models import Organization


@pytest.mark.django_db
def test_demo_data_reproduces_the_plan_figures_for_2021():
    seed()
    figures = account_figures(Organization.objects.get(code="skhcn"), Period.year(2021))
    assert (figures.created_to_date, figures.deactivated_to_date, figures.active_at_end) == (97, 29, 68)
    assert figures.deactivated_by_reason["transfer"] + figures.deactivated_by_reason["retirement"] == 29


@pytest.mark.django_db
def test_seed_is_idempotent():
    from apps.accounts.models import User

    seed()
    counts = (User.objects.count(), Organization.objects.count())
    assert not any(seed().values())  # nothing new the second time
    assert (User.objects.count(), Organization.objects.count()) == counts


@pytest.mark.django_db
def test_a_unit_counts_only_its_own_staff():
    seed()
    unit = account_figures(Organization.objects.get(code="skhcn-vp"), Period.year(2021))
    whole = account_figures(Organization.objects.get(code="skhcn"), Period.year(2021))
    assert 0 < unit.created_to_date < whole.created_to_date


@pytest.mark.django_db
def test_earlier_years_count_fewer_accounts():
    seed()
    agency = Organization.objects.get(code="skhcn")
    assert account_figures(agency, Period.year(2016)).created_to_date < 97
