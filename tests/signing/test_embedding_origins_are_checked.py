"""Which sites may frame the signing page (CSP frame-ancestors), as the partner's admin types
them. A tester found http and wildcard origins saved, a repeated line quietly dropped, a jargon
error and no error summary. Now: https only (plain http for localhost while developing), each
site exactly (no wildcards), a repeated line refused and named, every wrong line named in plain
words (English and Czech) under the form's error summary; a refused form saves nothing."""

import pytest

from signing.admin import FramingSettingsAdminForm
from signing.forms import MAX_ORIGINS, clean_origins
from signing.models import FramingSettings

pytestmark = pytest.mark.django_db

PAGE = "/signing/embedding/"
SUMMARY = '<div class="alert alert-danger" role="alert">Please correct the errors below.</div>'
SAVED = "https://www.contoso.example"


@pytest.fixture
def admin_client(client, alice, contoso):
    FramingSettings.objects.create(partner=contoso, allowed_origins=SAVED)
    client.force_login(alice)
    return client


def refused(client, text: str, **extra) -> str:
    """The page's HTML after posting ``text``, asserting it was refused and nothing changed."""
    response = client.post(PAGE, {"allowed_origins": text}, **extra)
    assert response.status_code == 400
    assert list(FramingSettings.objects.values_list("allowed_origins", flat=True)) == [SAVED]
    return response.text


def test_sites_are_saved_as_origins(admin_client, contoso):
    response = admin_client.post(
        PAGE,
        {
            "allowed_origins": "  https://Shop.Contoso.example/\n\nhttps://www.contoso.example:8443\n"
        },
    )
    assert response.status_code == 302
    assert FramingSettings.objects.get(partner=contoso).origins == [
        "https://shop.contoso.example",
        "https://www.contoso.example:8443",
    ]


def test_an_empty_list_lets_no_site_embed_it(admin_client, contoso):
    assert admin_client.post(PAGE, {"allowed_origins": "\n \n"}).status_code == 302
    assert FramingSettings.objects.get(partner=contoso).origins == []


def test_a_name_in_another_script_is_saved_as_csp_wants_it(admin_client, contoso):
    assert admin_client.post(PAGE, {"allowed_origins": "https://příklad.cz"}).status_code == 302
    assert FramingSettings.objects.get(partner=contoso).origins == ["https://xn--pklad-zsa96e.cz"]


def test_plain_http_is_refused(admin_client):
    html = refused(admin_client, "https://ok.example\nhttp://insecure.example")
    assert SUMMARY in html
    assert (
        "Line 2 (“http://insecure.example”): use https://. A site on plain http:// may not "
        "embed the signing page, as what it shows could be changed on the way."
    ) in html
    assert "Line 1" not in html


def test_plain_http_to_localhost_is_refused_outside_development(admin_client, settings):
    settings.DEBUG = False
    assert "Line 1 (“http://localhost:8000”): use https://." in refused(
        admin_client, "http://localhost:8000"
    )


def test_while_developing_localhost_may_use_plain_http(admin_client, contoso, settings):
    settings.DEBUG = True
    # Only those two hosts.
    assert "use https://" in refused(admin_client, "http://dev.example")
    response = admin_client.post(
        PAGE, {"allowed_origins": "http://localhost:8000\nhttp://127.0.0.1:5173"}
    )
    assert response.status_code == 302
    assert FramingSettings.objects.get(partner=contoso).origins == [
        "http://localhost:8000",
        "http://127.0.0.1:5173",
    ]


def test_a_wildcard_is_refused(admin_client):
    html = refused(admin_client, "https://*.example.com")
    assert SUMMARY in html
    assert (
        "Line 1 (“https://*.example.com”): wildcards (*) are not allowed. List each site on "
        "its own line, such as https://shop.example.com."
    ) in html


def test_a_repeated_site_is_refused_and_named_not_dropped(admin_client):
    html = refused(
        admin_client, "https://www.example.com\nhttps://shop.example.com\nhttps://WWW.example.com/"
    )
    assert ("Line 3 (“https://WWW.example.com/”): it repeats line 1. List each site once.") in html


@pytest.mark.parametrize(
    "line, problem",
    [
        ("https://www.example.com/signing", "give only the site's address, without a page"),
        ("https://www.example.com?x=1", "give only the site's address, without a page"),
        ("www.example.com", "start it with https://, such as https://www.example.com."),
        ("javascript:alert(1)", "start it with https://"),
        ("https://user@www.example.com", "this is not a web address"),
        ("https://exa_mple.com", "this is not a web address"),
        ("https://", "this is not a web address"),
        ("https://www.example.com:0", "the port after the colon must be a number"),
        ("https://www.example.com:70000", "the port after the colon must be a number"),
        ("https://www.example.com:", "the port after the colon must be a number"),
        ("https://a.example 'self'", "write one web address a line, without spaces."),
    ],
)
def test_each_wrong_line_is_named_in_plain_words(admin_client, line, problem):
    html = refused(admin_client, f"https://fine.example\n{line}")
    assert SUMMARY in html
    # The line's text is escaped in the page; its number and the problem are there.
    assert "Line 2 (“" in html and problem.replace("'", "&#x27;") in html


def test_every_wrong_line_is_named_at_once(admin_client):
    html = refused(admin_client, "http://a.example\nhttps://ok.example\nhttps://*.b.example")
    assert "Line 1 (“http://a.example”)" in html
    assert "Line 3 (“https://*.b.example”)" in html


def test_too_many_sites_are_refused(admin_client):
    lines = "\n".join(f"https://s{n}.example" for n in range(MAX_ORIGINS + 1))
    html = refused(admin_client, lines)
    assert f"At most {MAX_ORIGINS} sites may embed the signing page; you listed 21." in html


def test_in_czech_the_errors_are_czech(admin_client):
    admin_client.cookies["django_language"] = "cs"
    html = refused(
        admin_client,
        "http://insecure.example\nhttps://*.example.com\nhttps://a.example\nhttps://a.example",
        HTTP_ACCEPT_LANGUAGE="cs",
    )
    assert (
        '<div class="alert alert-danger" role="alert">Opravte prosím níže uvedené chyby.</div>'
        in (html)
    )
    assert "Řádek 1 („http://insecure.example“): použijte https://." in html
    assert "Řádek 2 („https://*.example.com“): zástupné znaky (*) nejsou povoleny." in html
    assert "Řádek 4 („https://a.example“): opakuje řádek 3. Uveďte každý web jen jednou." in html


def test_the_page_as_first_shown_has_no_summary(admin_client):
    response = admin_client.get(PAGE)
    assert response.status_code == 200
    assert 'role="alert"' not in response.text.split("<form", 1)[1]
    assert "Sites that may embed the signing page" in response.text


@pytest.mark.parametrize("persona", ["sam", "hana", "bill", "frank"])
def test_every_role_that_may_not_is_refused_even_with_bad_input(client, request, persona, contoso):
    # frank is the admin agent of another partner (Fabrikam): its own setting, never Contoso's.
    FramingSettings.objects.create(partner=contoso, allowed_origins=SAVED)
    client.force_login(request.getfixturevalue(persona))
    expected = 302 if persona == "frank" else 403
    assert client.post(PAGE, {"allowed_origins": "https://frank.example"}).status_code == expected
    if persona != "frank":
        assert client.post(PAGE, {"allowed_origins": "http://bad.example"}).status_code == 403
    assert FramingSettings.objects.get(partner=contoso).allowed_origins == SAVED


def test_the_operators_admin_form_checks_the_same(contoso):
    form = FramingSettingsAdminForm(
        data={"partner": contoso.pk, "allowed_origins": "https://*.example.com"}
    )
    assert not form.is_valid()
    assert form.errors["allowed_origins"] == [
        "Line 1 (“https://*.example.com”): wildcards (*) are not allowed. List each site on its "
        "own line, such as https://shop.example.com."
    ]


def test_the_check_alone_normalises_and_refuses():
    assert clean_origins("HTTPS://A.example:443/\n") == "https://a.example:443"
    with pytest.raises(Exception, match="repeats line 1"):
        clean_origins("https://a.example\nhttps://a.example/")
