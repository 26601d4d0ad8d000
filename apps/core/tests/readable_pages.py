"""Shared checks of issue #18.2 for the apps' view tests: a history panel reads as Vietnamese."""

import re

# What the history panels printed before: django-auditlog's raw values, model names, JSON.
RAW = ["None →", "→ None", ": None", ".None", "\\u", '{"', "[]", "True", "False"]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def history_panel(html: str) -> str:
    """The shared timeline card (templates/core/_timeline.html) of a detail page."""
    start = html.index('id="timeline-title"')
    return html[start : html.index("</section>", start)]


def assert_readable(panel: str) -> str:
    for raw in RAW:
        assert raw not in panel, f"{raw!r} in the history panel"
    found = text(panel)
    assert re.search(r"\b\d{2}/\d{2}/\d{4} \d{2}:\d{2}\b", found), "no dd/mm/yyyy HH:MM time"
    return found
