"""One document-type catalogue with one rule: an administrator's edit survives every migrate."""

from django.apps import apps
from django.db.models.signals import post_migrate

from apps.documents.catalogue import TYPES, ensure_document_types
from apps.documents.models import DocumentType


def _migrate_again():
    post_migrate.send(
        sender=apps.get_app_config("documents"),
        app_config=apps.get_app_config("documents"),
        verbosity=0,
        interactive=False,
        using="default",
        plan=[],
        apps=apps,
    )


def test_every_type_exists_after_migrate(db):
    names = set(DocumentType.objects.values_list("name", flat=True))
    assert {name for name, _abbr in TYPES} | {"Công văn", "Thư công"} <= names


def test_an_administrators_edit_is_kept_by_migrate(db):
    plan = DocumentType.objects.get(name="Kế hoạch")
    plan.abbreviation = "KHo"
    plan.order = 77
    plan.save()
    _migrate_again()
    plan.refresh_from_db()
    assert (plan.abbreviation, plan.order) == ("KHo", 77)


def test_a_deleted_type_comes_back_without_duplicates(db):
    DocumentType.objects.filter(name="Tờ trình").delete()
    assert ensure_document_types() == 1
    assert ensure_document_types() == 0
    assert DocumentType.objects.filter(name="Tờ trình").count() == 1
