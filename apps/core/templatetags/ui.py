from django import template

register = template.Library()

_CHECK_INPUTS = {"checkbox", "radio"}


@register.filter
def control(bound_field):
    """Renders a form field's widget with Bootstrap classes and error state."""
    widget = bound_field.field.widget
    input_type = getattr(widget, "input_type", "")
    if input_type in _CHECK_INPUTS and not getattr(widget, "allow_multiple_selected", False):
        css = "form-check-input"
    elif widget.__class__.__name__ == "CheckboxSelectMultiple":
        css = ""
    elif widget.__class__.__name__ in {"Select", "SelectMultiple"}:
        css = "form-select"
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
    attrs = {"class": css.strip()} if css.strip() else {}
    if bound_field.help_text:
        attrs["aria-describedby"] = f"{bound_field.auto_id}_help"
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def query(context, **changes):
    """The current query string with some parameters replaced (for paging links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"
