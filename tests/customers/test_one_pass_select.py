"""The list's one-pass <select> writes what Django's Select would: escaped, the value chosen."""

from django import forms

from customers.forms import OnePassSelect


class Choosing(forms.Form):
    pick = forms.ChoiceField(
        choices=[("", "Any"), ("a&b", 'Tom "&" Jerry'), ("<x>", "<script>")],
        widget=OnePassSelect(attrs={"class": "form-select"}),
        required=False,
    )


def test_it_escapes_values_and_labels_and_marks_the_choice():
    html = str(Choosing({"pick": "a&b"})["pick"])
    assert html.startswith('<select name="pick" class="form-select" id="id_pick">')
    assert '<option value="a&amp;b" selected>Tom &quot;&amp;&quot; Jerry</option>' in html
    assert '<option value="&lt;x&gt;">&lt;script&gt;</option>' in html
    assert "<script>" not in html


def test_with_nothing_chosen_the_empty_option_is_selected():
    html = str(Choosing()["pick"])
    assert '<option value="" selected>Any</option>' in html
    assert html.count(" selected") == 1


def test_a_choice_marked_once_is_not_marked_on_the_next_page():
    """The options are escaped once and kept; each page marks its own choice on a copy."""
    assert 'value="a&amp;b" selected' in str(Choosing({"pick": "a&b"})["pick"])
    html = str(Choosing({"pick": "<x>"})["pick"])
    assert '<option value="&lt;x&gt;" selected>' in html
    assert html.count(" selected") == 1
