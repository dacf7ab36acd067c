"""The list's one-pass search box writes what Django's TextInput would, attribute for
attribute: escaped, with the field's length limit, help and error wiring."""

from django import forms
from django.test.html import parse_html

from customers.forms import OnePassTextInput


class Searching(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=20,
        help_text="Any part of a name.",
        widget=OnePassTextInput(attrs={"class": "form-control"}),
    )


class Plain(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=20,
        help_text="Any part of a name.",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


def _both(data):
    return str(Searching(data)["q"]), str(Plain(data)["q"])


def test_it_writes_what_djangos_template_writes():
    for data in (None, {"q": ""}, {"q": 'Tom "&" <b>Jerry</b>'}, {"q": "x" * 25}):
        one_pass, django = _both(data)
        assert parse_html(one_pass) == parse_html(django), data


def test_the_value_is_escaped_and_an_empty_one_left_out():
    html = str(Searching({"q": 'Tom "&" <b>'})["q"])
    assert 'value="Tom &quot;&amp;&quot; &lt;b&gt;"' in html
    assert "<b>" not in html
    assert "value=" not in str(Searching({"q": ""})["q"])


def test_an_invalid_value_is_marked_and_described():
    form = Searching({"q": "x" * 25})
    assert not form.is_valid()
    html = str(form["q"])
    assert 'aria-invalid="true"' in html
    assert 'maxlength="20"' in html and 'type="text"' in html
