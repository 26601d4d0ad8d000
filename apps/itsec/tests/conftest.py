import pytest


@pytest.fixture
def demo(db):
    """The foundation demo data plus this module's seeder."""
    from apps.accounts.demo import seed_foundation
    from apps.itsec import demo as itsec_demo
    from apps.organizations.models import Organization

    seed_foundation()
    itsec_demo.seed()
    return Organization.objects.get(code="skhcn")
