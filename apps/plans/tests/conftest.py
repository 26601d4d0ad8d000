"""The plans tests share one database seeded with the demo data Part I reads (seeding takes minutes).

Each test still runs in its own rolled-back transaction; end-to-end tests (transactional, they
flush the tables) run last.
"""

import pytest

# The seeders whose data Part I reads (accounts, procedures, dossiers, documents, IT assets,
# royalties) and this module's own: seed_demo minus the slow, unrelated ones.
NEEDED = ["foundation", "procedures", "dossiers", "documents", "itsec", "portal_office", "plans"]


@pytest.fixture(scope="package", autouse=True)
def plans_demo(django_db_setup, django_db_blocker):
    """Seed once for this package, and flush when it is done, so that no other app's tests see it."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    from apps.core import demo as core_demo

    with django_db_blocker.unblock(), override_settings(CLAMD_SOCKET="", CLAMD_TCP=""):
        for _order, name, fn in sorted(core_demo._seeders, key=lambda s: s[0]):
            if name in NEEDED:
                with transaction.atomic():
                    fn()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def pytest_collection_modifyitems(items):
    """Within this package only, end-to-end tests (transactional: they flush the tables) run last."""
    here = [i for i, item in enumerate(items) if "apps/plans/tests/" in str(item.fspath)]
    ordered = sorted((items[i] for i in here), key=lambda item: item.get_closest_marker("e2e") is not None)
    for i, item in zip(here, ordered, strict=True):
        items[i] = item


@pytest.fixture
def no_clamd(settings):
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_TCP = ""


@pytest.fixture
def demo(db, no_clamd):
    """The demo plans by year (version 1) and the demo users by username."""
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
