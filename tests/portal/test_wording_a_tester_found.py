"""Wording a tester walking the portal in English and Czech found wanting: a domain error that
asked for the whole domain where the field takes only the name, field names of the audit log
stored in English, token lifetimes in English, a required date without its star, the admin
center's title said twice, "Pozván" as an agreement status, an ungrammatical access-denied
text, "Sent" without its colon, and a download column without a header."""

import datetime

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from customers.forms import CustomerAccountForm
from customers.models import AgreementStatus
from customers.services import domain_problem
from portal.audit import record_audit
from portal.models import AuditAction
from portal.profile import update_contact_details
from tests import factories as f

NAME_ONLY_EN = "Enter the name before .onmicrosoft.com: lower-case letters, digits and hyphens."
NAME_ONLY_CS = "Zadejte název před .onmicrosoft.com: malá písmena, číslice a spojovníky."


@pytest.fixture
def in_czech(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    return client


# 1. The domain field takes the name; its error asks for the name, in the help's words.


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "message"), [("en", NAME_ONLY_EN), ("cs", NAME_ONLY_CS)])
def test_a_bad_domain_on_the_form_asks_for_the_name_only(language, message):
    with translation.override(language):
        form = CustomerAccountForm(data={"domain": "Not Valid!"})
        assert form.errors["domain"] == [message]
        assert "pomlčky" not in str(form.errors)


def test_the_availability_check_answers_in_the_same_words(client, sam):
    client.force_login(sam)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    answer = client.get(reverse("customers:domain_availability"), {"domain": "Bad_name"}).json()
    assert answer["available"] is False
    assert answer["message"] == NAME_ONLY_CS


@pytest.mark.django_db
def test_the_api_still_asks_for_the_full_domain_it_takes():
    # The API's domain is the full name.onmicrosoft.com: its message says so.
    with translation.override("en"):
        assert domain_problem("bad_name.onmicrosoft.com").startswith(
            "Enter a domain of the form name.onmicrosoft.com"
        )
    with translation.override("cs"):
        problem = domain_problem("bad_name.onmicrosoft.com")
    assert "nazev.onmicrosoft.com" in problem and "spojovníky" in problem


# 2. The audit log's target of a contact detail's change is the field's label, translated.


def test_a_contact_change_records_the_field_and_reads_in_the_readers_language(
    client, alice, contoso, django_assert_max_num_queries
):
    update_contact_details(partner=contoso, by=alice, values={"website": "https://c.example/"})
    # An entry from before: the English label as recorded then.
    record_audit(
        action=AuditAction.PROFILE_CHANGED,
        actor=alice,
        target_label="Contact phone",
        details="— → +420601123456",
    )
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    for url in (reverse("agents:audit"), reverse("agents:profile")):
        with django_assert_max_num_queries(6):
            page = client.get(url).text
        assert "<td>Web</td>" in page
        assert "<td>Kontaktní telefon</td>" in page
        assert "Website" not in page and "Contact phone" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("agents:audit")).text
    assert "<td>Website</td>" in page
    assert "<td>Contact phone</td>" in page
    export = b"".join(client.get(reverse("agents:audit_export")).streaming_content).decode()
    assert ",Website," in export and ",website," not in export


# 3. Token lifetimes in the page's language.


def test_token_lifetimes_are_czech_on_the_czech_page(in_czech, sam):
    in_czech.force_login(sam)
    page = in_czech.get(reverse("tokens:list")).text
    assert ">30 dní</option>" in page and ">365 dní</option>" in page
    assert " days</option>" not in page
    in_czech.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert ">90 days</option>" in in_czech.get(reverse("tokens:list")).text


# 4. New customer's date accepted is starred, as on the Update form, but the browser doesn't
# require it (inviting sends none); the server refuses it empty only when attesting.


def test_new_customers_date_accepted_is_starred_without_a_browser_requirement(client, alice):
    client.force_login(alice)
    page = client.get(reverse("customers:new")).text
    label = page.split('for="id_date_agreed"', 1)[1].split("</label>", 1)[0]
    assert 'class="asteriskField"' in label
    date_input = page.split('id="id_date_agreed"', 1)[0].rsplit("<input", 1)[1]
    assert " required" not in date_input


# 5. The admin center's home names the page in its title.


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Home · Admin center"), ("cs", "Domů · Centrum pro správu")],
)
def test_the_admin_center_home_title_names_the_page(client, acme_admin, language, title):
    client.force_login(acme_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("admin_center:home")).text
    assert f"<title>{title}</title>" in page


# 6. An agreement status is neuter in Czech; an invited agent (a person) stays "Pozván".


def test_invited_is_neuter_as_a_status_and_masculine_for_an_agent():
    with translation.override("cs"):
        assert str(AgreementStatus.INVITED.label) == "Pozváno"
        badge = render_to_string("portal/_agent_status.html", {"status": "invited"})
    assert ">Pozván</span>" in badge


# 7. Access denied says what is missing and whom to ask, grammatically.


def test_access_denied_is_grammatical_in_czech(in_czech, sam):
    in_czech.force_login(sam)
    response = in_czech.get(reverse("agents:list"))
    assert response.status_code == 403
    assert (
        "Na tuto stránku nebo akci nemáte oprávnění (váš účet: Agent prodeje, Contoso Partner)."
        in response.text
    )
    assert "toto nemůže" not in response.text
    in_czech.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = in_czech.get(reverse("agents:list")).text
    assert "You don't have permission for this page or action" in english


# 8. Every line of an invitation's dates has its colon, "Sent:" too.


def test_an_invitations_sent_line_has_a_colon_like_the_others(client, sam, acme):
    invitation = f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)
    invitation.sent_at = timezone.now() - datetime.timedelta(hours=1)
    invitation.email_to = "karel@acme.example"
    invitation.save()
    client.force_login(sam)
    for url in (reverse("invitations:list"), reverse("customers:detail", args=[acme.tenant_id])):
        page = client.get(url).text
        assert "<li>Sent: " in page and " to karel@acme.example</li>" in page, url
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    page = client.get(reverse("invitations:list")).text
    assert "<li>Odesláno: " in page and " na adresu karel@acme.example</li>" in page


# 9. The published templates' download column has a header.


def test_the_download_column_has_a_header(in_czech, sam, template_cz):
    in_czech.force_login(sam)
    page = in_czech.get(reverse("agreements:templates")).text
    head = page.split('aria-labelledby="published-heading"', 1)[1].split("</thead>", 1)[0]
    assert head.count("<th scope=") == 5
    assert '<th scope="col"><span class="visually-hidden">Stáhnout</span></th>' in head
