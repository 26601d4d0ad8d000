from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .models import Enterprise, tax_code_validator


class EnterpriseForm(forms.ModelForm):
    # Longer than the stored 13 digits: spaces and dashes typed by the user are removed in clean.
    tax_code = forms.CharField(label=_("tax code"), max_length=20)

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "tax_code",
            "vsic_code",
            "industry_name",
            "commune",
            "address",
            "representative",
            "phone",
            "email",
        ]
        help_texts = {
            "tax_code": _("10 digits, or 13 digits for a branch."),
            "vsic_code": _("Vietnam Standard Industrial Classification, e.g. 1077 (coffee)."),
        }

    def clean_tax_code(self):
        value = self.cleaned_data["tax_code"].replace(" ", "").replace("-", "")
        tax_code_validator(value)
        return value


class ClaimForm(forms.Form):
    tax_code = forms.CharField(label=_("tax code"), max_length=20)
    method = forms.ChoiceField(
        label=_("Verification"),
        choices=[
            ("email", _("Send a code to the enterprise's registered e-mail")),
            ("officer", _("Ask the department to confirm (bring or upload the enterprise's papers)")),
        ],
        widget=forms.RadioSelect,
        initial="email",
    )
    note = forms.CharField(
        label=_("Note for the officer"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Your position in the enterprise and how the department can check it."),
    )

    def clean_tax_code(self):
        value = self.cleaned_data["tax_code"].replace(" ", "").replace("-", "")
        tax_code_validator(value)
        return value


class ClaimCodeForm(forms.Form):
    code = forms.CharField(label=_("Code from the e-mail"), max_length=6, min_length=6)


class ClaimDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class StartSurveyForm(forms.Form):
    year = forms.IntegerField(label=_("Survey year"), min_value=2000, max_value=2100)


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Comments for the enterprise"), widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class MethodologyImportForm(forms.Form):
    file = forms.FileField(label=_("Definition file (YAML or Excel)"))
    base = forms.IntegerField(required=False, widget=forms.HiddenInput)


DEFAULT_MAX_ROWS = 300


class TableWidget(forms.Widget):
    """Rows of inputs named <name>-<row>-<column>; rows are added and removed in the browser
    (static/techassess/table.js) and the server reads whatever rows arrive."""

    def __init__(self, question: dict, attrs=None):
        super().__init__(attrs)
        self.question = question

    def value_from_datadict(self, data, files, name):
        prefix = f"{name}-"
        indices = set()
        for key in data:
            if key.startswith(prefix):
                index = key[len(prefix) :].split("-", 1)[0]
                if index.isdigit():
                    indices.add(int(index))
        rows = []
        for index in sorted(indices):
            row = {c["code"]: (data.get(f"{name}-{index}-{c['code']}") or "").strip() for c in self._columns}
            if any(row.values()):
                rows.append(row)
        return rows

    def value_omitted_from_data(self, data, files, name):
        return False

    @property
    def _columns(self):
        return self.question.get("columns") or []

    def id_for_label(self, id_):
        return f"{id_}-add" if id_ else None

    def render(self, name, value, attrs=None, renderer=None):
        attrs = attrs or {}
        rows = value if isinstance(value, list) else []
        columns = self._columns

        def cells(values):
            out = []
            for c in columns:
                v = values.get(c["code"], "") if values else ""
                out.append(
                    {
                        "code": c["code"],
                        "label": c.get("label", c["code"]),
                        "type": c.get("type"),
                        "value": "" if v is None else str(v),
                        "choices": [
                            (str(ch["value"]), ch.get("label", ch["value"])) for ch in c.get("choices") or []
                        ],
                        "required": c.get("required"),
                        "min": c.get("min"),
                        "max": c.get("max"),
                    }
                )
            return out

        return render_to_string(
            "techassess/_table_widget.html",
            {
                "name": name,
                "id": attrs.get("id") or f"id_{name}",
                "columns": columns,
                "rows": [{"index": i, "cells": cells(r)} for i, r in enumerate(rows)],
                "blank": {"index": "__index__", "cells": cells(None)},
                "max_rows": self.question.get("max_rows") or DEFAULT_MAX_ROWS,
                "invalid": "is-invalid" in (attrs.get("class") or ""),
            },
        )


def _cell_number(value: str):
    text = value.replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return float(text)


def clean_table_rows(question: dict, rows: list[dict]) -> tuple[list[dict], list[str]]:
    """Typed rows and the errors, each naming its row (1-based) and column."""
    columns = question.get("columns") or []
    errors: list[str] = []
    cleaned = []
    max_rows = question.get("max_rows") or DEFAULT_MAX_ROWS
    if len(rows) > max_rows:
        errors.append(str(_("At most %(n)s rows.") % {"n": max_rows}))
    for number, raw in enumerate(rows, 1):
        row = {}
        for c in columns:
            code, label, kind = c["code"], c.get("label", c["code"]), c.get("type")
            value = raw.get(code)
            value = "" if value is None else str(value).strip()
            where = {"row": number, "column": label}
            if not value:
                if c.get("required"):
                    errors.append(str(_("Row %(row)s, %(column)s: required.") % where))
                row[code] = None
                continue
            if kind in ("number", "integer"):
                try:
                    number_value = _cell_number(value)
                    if kind == "integer":
                        if not number_value.is_integer():
                            raise ValueError
                        number_value = int(number_value)
                except ValueError:
                    errors.append(
                        str(
                            _("Row %(row)s, %(column)s: «%(value)s» is not a number.")
                            % {**where, "value": value}
                        )
                    )
                    continue
                if c.get("min") is not None and number_value < c["min"]:
                    errors.append(
                        str(
                            _("Row %(row)s, %(column)s: must be at least %(min)s.")
                            % {**where, "min": c["min"]}
                        )
                    )
                    continue
                if c.get("max") is not None and number_value > c["max"]:
                    errors.append(
                        str(
                            _("Row %(row)s, %(column)s: must be at most %(max)s.")
                            % {**where, "max": c["max"]}
                        )
                    )
                    continue
                row[code] = number_value
            elif kind == "choice":
                match = next(
                    (
                        str(ch["value"])
                        for ch in c.get("choices") or []
                        if value.lower() in (str(ch["value"]).lower(), str(ch.get("label", "")).lower())
                    ),
                    None,
                )
                if match is None:
                    errors.append(
                        str(
                            _("Row %(row)s, %(column)s: «%(value)s» is not one of the choices.")
                            % {**where, "value": value}
                        )
                    )
                    continue
                row[code] = match
            else:
                row[code] = value[:300]
        cleaned.append(row)
    return cleaned, errors


class TableField(forms.Field):
    def __init__(self, question: dict, **kwargs):
        self.question = question
        super().__init__(widget=TableWidget(question), **kwargs)

    def to_python(self, value):
        return value if isinstance(value, list) else []

    def validate(self, value):
        pass

    def clean(self, value):
        rows, errors = clean_table_rows(self.question, self.to_python(value))
        if errors:
            raise ValidationError(errors)
        return rows


def section_form(section: dict, *, data=None, initial=None) -> forms.Form:
    """A form for one survey section. Required questions are enforced at submission, not when
    saving, so that a section can be saved half-filled and resumed later."""
    fields = {}
    for q in section.get("questions") or []:
        label = q["label"]
        kind = q["type"]
        common = {"label": label, "required": False}
        if kind == "integer":
            field = forms.IntegerField(min_value=q.get("min"), max_value=q.get("max"), **common)
        elif kind == "number":
            field = forms.FloatField(min_value=q.get("min"), max_value=q.get("max"), **common)
        elif kind == "choice":
            choices = [("", "—")] + [(str(c["value"]), c.get("label", c["value"])) for c in q["choices"]]
            field = forms.ChoiceField(choices=choices, **common)
        elif kind == "table":
            field = TableField(q, **common)
        elif kind == "boolean":
            field = forms.TypedChoiceField(
                choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))],
                coerce=lambda v: v == "true",
                empty_value=None,
                **common,
            )
        else:
            field = forms.CharField(max_length=500, **common)
        if q.get("required"):
            field.help_text = _("Required before submission.")
        elif q.get("required_unless"):
            other = next(
                (x.get("label") for x in section.get("questions") or [] if x["code"] == q["required_unless"]),
                q["required_unless"],
            )
            field.help_text = _("Required before submission unless “%(other)s” is filled in.") % {
                "other": other
            }
        fields[q["code"]] = field
    form_class = type("SectionForm", (forms.Form,), dict(fields))  # the metaclass consumes its dict
    if initial:
        initial = {
            k: ("true" if v is True else "false" if v is False else v)
            for k, v in initial.items()
            if k in fields
        }
    return form_class(data=data, initial=initial)


PART_LABELS = {
    "groups": _("Groups (code, names, maximum points)"),
    "sections": _("Survey sections and questions (Appendix I)"),
    "criteria": _("Criteria and scoring rules"),
    "benchmarks": _("Sector benchmarks (Appendix II)"),
    "coefficient": _("Synchronisation coefficient formula"),
    "classification": _("Classes and classification rules"),
    "aggregation": _("Sector/province aggregation rule"),
}


class MethodologyEditForm(forms.Form):
    """A draft's definition edited on screen: identity fields, and each part as YAML text."""

    title = forms.CharField(label=_("title"), max_length=300)
    effective_from = forms.DateField(label=_("effective from"), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    source_note = forms.CharField(
        label=_("Source note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, definition: dict | None = None, **kwargs):
        from . import methodology

        if definition is not None and "initial" not in kwargs:
            initial = {
                "title": definition.get("title", ""),
                "effective_from": definition.get("effective_from", ""),
                "source_note": definition.get("source_note", ""),
            }
            for part in PART_LABELS:
                value = definition.get(part)
                initial[part] = "" if value is None else methodology.dump_yaml(value)
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for part, label in PART_LABELS.items():
            self.fields[part] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 12, "class": "font-monospace", "spellcheck": "false"}),
                help_text=_("YAML; leave empty for “not yet entered”."),
            )

    def clean(self):
        import yaml

        cleaned = super().clean()
        for part in PART_LABELS:
            text = cleaned.get(part) or ""
            if not text.strip():
                cleaned[part] = None
                continue
            try:
                cleaned[part] = yaml.safe_load(text)
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                where = (
                    _("line %(line)s, column %(column)s") % {"line": mark.line + 1, "column": mark.column + 1}
                    if mark
                    else ""
                )
                self.add_error(part, _("Not valid YAML (%(where)s).") % {"where": where})
        return cleaned

    def definition(self, base: dict) -> dict:
        """`base` with the edited identity fields and parts."""
        data = dict(base)
        data["title"] = self.cleaned_data["title"]
        data["effective_from"] = self.cleaned_data["effective_from"].isoformat()
        data["source_note"] = self.cleaned_data.get("source_note") or ""
        for part in PART_LABELS:
            data[part] = self.cleaned_data.get(part)
        return data


class NewVersionForm(forms.Form):
    version = forms.CharField(label=_("New version"), max_length=20)
