import pytest

from apps.techassess import services
from apps.techassess.demo import ensure_notification_templates


@pytest.fixture(autouse=True)
def handling_unit_code(settings):
    settings.TECHASSESS_UNIT_CODE = "t-qlcn"


@pytest.fixture
def methods(db):
    ensure_notification_templates()
    return services.ensure_bundled()


@pytest.fixture
def demo_definition():
    return services.bundled_definition("demo")


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests compare messages with their English source text (the msgids), not the Vietnamese."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
