import pytest


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests compare messages with their English source text (the msgids), not the Vietnamese."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
