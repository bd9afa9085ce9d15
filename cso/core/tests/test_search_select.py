"""The generic search-as-you-type select: only the chosen option is rendered, labels come from the
scoped lookup, and a lookup can be narrowed by other fields of the form."""

import pytest
from django import forms
from django.urls import reverse

from cso.core import lookups
from cso.core.widgets import SearchSelect, search_select
from cso.regions.models import Division

LOOKUP = reverse("core:lookup")


@pytest.fixture
def levels_lookup():
    """A lookup of divisions narrowed by a ``level`` field of the form."""
    lookup = lookups.Lookup(
        "test.divisions_by_level", queryset=lambda user: Division.objects.visible_to(user),
        search=lambda qs, term: qs.filter(name__contains=term), value="code", order_by=("code",),
        narrow=lambda qs, params: qs.filter(level=params["level"]) if params.get("level", "").isdigit() else qs,
    )
    lookups.register(lookup)
    yield lookup
    lookups.LOOKUPS.pop(lookup.name)


def test_a_model_choice_renders_only_the_empty_and_the_chosen_option(tree):
    field = forms.ModelChoiceField(queryset=Division.objects.all(), empty_label="（无）",
                                   widget=SearchSelect("regions.divisions"))
    html = field.widget.render("division", "450102001003")
    assert html.count("<option") == 2
    assert '<option value="">（无）</option>' in html and '<option value="450102001003" selected>' in html
    assert "source=regions.divisions" in html and "data-search-select" in html


def test_a_value_that_is_not_a_key_renders_nothing_chosen(tree):
    field = forms.ModelChoiceField(queryset=Division.objects.all(), widget=SearchSelect("regions.divisions"))
    assert field.widget.render("division", "not-a-code").count("<option") == 1


def test_a_typed_code_is_named_from_what_the_user_may_see(cast):
    widget = SearchSelect("regions.divisions", user=cast["county"])
    assert '<option value="450102001000" selected>民生街道 · 兴宁区（450102001000）</option>' in widget.render(
        "division", "450102001000")
    widget = SearchSelect("regions.divisions", user=cast["outsider_county"])
    assert '<option value="450102001000" selected>450102001000</option>' in widget.render("division", "450102001000")


def test_search_select_gives_an_existing_field_the_widget_in_one_line(tree):
    class Form(forms.Form):
        place = forms.ModelChoiceField(queryset=Division.objects.filter(level=3), required=False)

    form = Form()
    search_select(form.fields["place"], "regions.divisions", forward=("level",))
    html = str(form["place"])
    assert html.count("<option") == 1 and 'data-forward="level"' in html
    assert "青秀区" not in html
    form = Form({"place": "450103000000"})
    assert form.is_valid() and form.cleaned_data["place"].name == "青秀区"


def test_the_lookup_is_narrowed_by_the_forwarded_fields(levels_lookup, cast, login):
    client = login(cast["county"])
    results = client.get(LOOKUP, {"source": levels_lookup.name, "q": "朝阳"}).json()["results"]
    assert [r["value"] for r in results] == ["450102002000", "450102002001"]
    results = client.get(LOOKUP, {"source": levels_lookup.name, "q": "朝阳", "level": "5"}).json()["results"]
    assert [r["value"] for r in results] == ["450102002001"]
