"""Human labels of audit verbs: the registry lives in `core.events` so that core can register too."""

from apps.core.events import register_labels, verb_label

__all__ = ["register_labels", "verb_label"]
