"""`{% load history %}`: the readable history timeline and labelled form answers (core.history)."""

from django import template

from apps.core import history as core_history
from apps.core import readable

register = template.Library()


@register.inclusion_tag("core/_history_timeline.html")
def history_timeline(events=None, history=None, list_id=""):
    """`{% history_timeline events %}` (audit events, oldest first) and/or `history=rows` (status
    history rows): who, when, what changed, in the reader's language."""
    return {"entries": core_history.timeline(events or (), history or ()), "list_id": list_id}


@register.simple_tag
def form_answers(fields, data):
    """`{% form_answers schema_fields answers as rows %}`: label–value pairs (core.readable.Answer)."""
    return readable.answers(fields or (), data or {})
