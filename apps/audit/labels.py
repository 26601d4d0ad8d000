"""Human labels of audit verbs; each module registers the verbs it records."""

from django.utils.translation import gettext_lazy as _

_labels: dict[str, str] = {
    "fields_created": _("Record created"),
    "fields_updated": _("Fields changed"),
    "fields_deleted": _("Record deleted"),
    "demo_data_seeded": _("Demo data loaded"),
}


def register_labels(labels: dict) -> None:
    _labels.update(labels)


def verb_label(verb: str) -> str:
    return _labels.get(verb, verb)
