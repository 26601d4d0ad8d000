"""People pickers of the staff forms: one widget for every "choose people" field.

A plain multi-select over seventy names gave no unit and listed some people twice. `PeopleField`
lists each person once, grouped by unit (an <optgroup> per unit) and labelled with their position;
static/js/app.js enhances it with Tom Select (installed from npm, served from static_vendor/):
search without diacritics, chips, and the order in which the user picked the people is the order
the form receives them (Tom Select moves the chosen <option>s to the end in that order).

Core knows no organisation: the unit and position of each person come from the providers that
register with `register_person_places` (apps.organizations registers memberships).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from .text import normalize

# users -> {user pk: (unit name, position)}
PersonPlaces = Callable[[list], dict]
_providers: list[PersonPlaces] = []


def register_person_places(func: PersonPlaces) -> None:
    if func not in _providers:
        _providers.append(func)


def person_places(users: list) -> dict:
    found: dict = {}
    for func in _providers:
        for pk, place in func(users).items():
            found.setdefault(pk, place)
    return found


def person_name(user) -> str:
    return getattr(user, "full_name", "") or user.get_username()


class PeopleSelect(forms.SelectMultiple):
    """A <select multiple> marked for the Tom Select picker (static/js/app.js)."""

    def __init__(self, attrs=None, *, ordered: bool = False):
        base = {
            "data-people-picker": "ordered" if ordered else "1",
            "data-placeholder": _("Type a name to search"),
            "data-no-results": _("Nobody matches"),
            "data-remove-label": _("Remove"),
            "class": "form-select",
        }
        super().__init__({**base, **(attrs or {})})


class _GroupedPeople(BaseChoiceIterator):
    """Lazy: the queries run when the widget renders, as with Django's ModelChoiceIterator."""

    def __init__(self, field):
        self.field = field

    def __iter__(self):
        yield from self.field.grouped_choices(self.field.queryset)


class PeopleField(forms.ModelMultipleChoiceField):
    """Several people from a user queryset, grouped by unit, each once.

    With `ordered=True` the cleaned value is a list in the order the user picked (the order of the
    submitted values), e.g. the reviewers of a document, who review one after another.
    """

    widget = PeopleSelect

    def __init__(self, queryset=None, *, ordered: bool = False, **kwargs):
        self.ordered = ordered
        kwargs.setdefault("widget", PeopleSelect(ordered=ordered))
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj):
        return person_name(obj)

    def grouped_choices(self, users: Iterable) -> list:
        unique = list({u.pk: u for u in users}.values())
        places = person_places(unique)
        other = str(_("Other"))
        groups: dict[str, list] = {}
        for user in unique:
            unit, position = places.get(user.pk, ("", ""))
            label = person_name(user) + (f" — {position}" if position else "")
            groups.setdefault(unit or other, []).append((user.pk, label))
        ordered = sorted(groups.items(), key=lambda item: (item[0] == other, normalize(item[0])))
        return [(unit, sorted(options, key=lambda o: normalize(o[1]))) for unit, options in ordered]

    def _get_choices(self):
        if self.queryset is None:
            return []
        return _GroupedPeople(self)

    choices = property(_get_choices, forms.ChoiceField.choices.fset)

    def clean(self, value):
        cleaned = super().clean(value)
        # A queryset joining memberships repeats a person once per membership: each person once.
        people = list({u.pk: u for u in cleaned}.values())
        if not self.ordered:
            return self.queryset.model._default_manager.filter(pk__in=[u.pk for u in people])
        order = [str(v) for v in (value or [])]
        return sorted(people, key=lambda u: order.index(str(u.pk)) if str(u.pk) in order else len(order))
