"""``SearchSelect``: a drop-down that searches as you type (tom-select), for lists too long to render.

The page carries only the chosen option(s); the browser fetches matches from a registered lookup
(cso.core.lookups) as the user types, so a province clerk's organization form no longer ships
thousands of ``<option>``s. Validation is unchanged: a ``ModelChoiceField`` still checks the submitted
value against its (scoped) queryset. Works on ``ModelChoiceField``, ``ChoiceField`` and ``CharField``
(a code typed or chosen). No inline script: the behaviour lives in static/cso/search-select.js (CSP).

Use it on a field with one line::

    self.fields["venue"].widget = SearchSelect("orgs.venues", field=self.fields["venue"], user=user)

or ``search_select(self.fields["venue"], "orgs.venues", user)``.
"""

from __future__ import annotations

import contextlib

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.http import urlencode

from . import lookups

MEDIA_CSS = ("vendor/tom-select/css/tom-select.bootstrap5.min.css", "cso/search-select.css")
MEDIA_JS = ("vendor/tom-select/js/tom-select.complete.min.js", "cso/search-select.js")


class SearchSelect(forms.Select):
    """A select rendered with only its chosen option; matches come from ``lookup`` as the user types.

    ``user`` lets the widget name a chosen value that is not among its choices (a code typed into a
    ``CharField``); ``create`` lets the user keep what they typed (e.g. a code prefix in a filter);
    ``placeholder`` is the hint shown in the empty box; ``forward`` names other fields of the form
    whose current values go with each search (the lookup's ``narrow`` reads them).
    """

    def __init__(self, lookup: str, *, user=None, create: bool = False, placeholder: str = "输入名称或代码搜索",
                 forward: tuple[str, ...] = (), field: forms.Field | None = None, attrs=None, choices=()):
        super().__init__(attrs=attrs, choices=choices)
        self.lookup = lookup
        self.user = user
        self.create = create
        self.placeholder = placeholder
        self.forward = tuple(forward)
        if field is not None:
            self.choices = getattr(field, "choices", ())
            self.attrs = {**field.widget.attrs, **self.attrs}
            self.is_required = field.required

    @property
    def media(self):
        return forms.Media(css={"all": MEDIA_CSS}, js=MEDIA_JS)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-search-select"] = ""
        widget_attrs["data-lookup-url"] = reverse("core:lookup") + "?" + urlencode({"source": self.lookup})
        widget_attrs["data-placeholder"] = self.placeholder
        if self.create:
            widget_attrs["data-create"] = "1"
        if self.forward:
            widget_attrs["data-forward"] = " ".join(self.forward)
        return context

    def _chosen_choices(self, values: list[str]) -> list:
        """The empty choice (if any) and the chosen values with their labels — never the whole list."""
        chosen = [v for v in values if v not in (None, "")]
        choices = self.choices
        out = []
        if isinstance(choices, ModelChoiceIterator):
            field = choices.field
            if field.empty_label is not None:
                out.append(("", field.empty_label))
            if chosen:
                key = field.to_field_name or "pk"
                # A value that is not a key of the list is shown as not chosen (the field says why).
                with contextlib.suppress(ValueError, TypeError, ValidationError):
                    out += [choices.choice(obj) for obj in choices.queryset.filter(**{f"{key}__in": chosen})]
            return out
        known = {}
        for value, label in choices:
            if isinstance(label, list | tuple):  # an option group
                known.update({str(v): lab for v, lab in label})
            else:
                known[str(value)] = label
        if "" in known:
            out.append(("", known[""]))
        else:
            out.append(("", ""))
        missing = [v for v in chosen if v not in known]
        names = {}
        source = lookups.get(self.lookup)
        if missing and source is not None and self.user is not None:
            names = source.labels(self.user, missing)
        out += [(v, known.get(v) or names.get(v) or v) for v in chosen]
        return out

    def optgroups(self, name, value, attrs=None):
        original = self.choices
        self.choices = self._chosen_choices([str(v) for v in value])
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = original


def search_select(field: forms.Field, lookup: str, user=None, **options) -> forms.Field:
    """Give ``field`` a ``SearchSelect`` over ``lookup`` (keeping its choices, attributes and requiredness)."""
    field.widget = SearchSelect(lookup, user=user, field=field, **options)
    return field
