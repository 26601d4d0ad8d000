"""The plans tests share one seed of the demo data Part I reads (seeding takes minutes).

Each test runs in its own savepoint inside the package's rolled-back transaction; the end-to-end
test commits its own seed (pytest-django runs transactional tests last, after the package is done).
"""

import pytest

# The seeders whose data Part I reads (accounts, procedures, dossiers, documents, IT assets,
# royalties) and this module's own: seed_demo minus the slow, unrelated ones.
NEEDED = ["foundation", "procedures", "dossiers", "documents", "itsec", "portal_office", "plans"]


def _seed():
    from django.db import transaction
    from django.test import override_settings

    from apps.core import demo as core_demo

    with override_settings(CLAMD_SOCKET="", CLAMD_TCP=""):
        for _order, name, fn in sorted(core_demo._seeders, key=lambda s: s[0]):
            if name in NEEDED:
                with transaction.atomic():
                    fn()


@pytest.fixture(scope="package")
def plans_demo(django_db_setup, django_db_blocker):
    """Seed once for this package inside a transaction that is rolled back when the package is done
    (as Django's TestCase.setUpTestData does), so no other app's tests see the rows. Each test runs
    in a savepoint inside it."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        _seed()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def no_clamd(settings):
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_TCP = ""


@pytest.fixture
def demo(plans_demo, db, no_clamd):
    """The demo plans by year (version 1) and the demo users by username."""
    return _demo()


@pytest.fixture
def demo_committed(transactional_db, no_clamd):
    """The same demo, committed, for the end-to-end test's live server (flushed after the test)."""
    _seed()
    return _demo()


def _demo():
    from apps.accounts.models import User
    from apps.plans.models import Plan

    plans = {p.year: p for p in Plan.objects.filter(organization__code="skhcn", version=1)}
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "cntt",
                "lanhdao",
                "chuyenvien",
                "quantri",
                "vanthu",
                "truongphong",
                "motcua",
                "bientap",
                "congdan",
            ]
        )
    }
    return {"plans": plans, "users": people, "agency": plans[2022].organization}
