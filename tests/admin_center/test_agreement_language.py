"""Issue 16: a Czech customer can read, download and accept the English MCA in the admin
center; the record keeps the hash of the document shown."""

import pytest

from agreements.models import Acceptance
from tests import factories as f
from tests.admin_center.accepting import press_accept


@pytest.fixture
def cz_english(template_cz):
    return f.AgreementDocumentFactory(template=template_cz, country="CZ", language="en-US")


def test_the_page_shows_the_customers_language_and_offers_the_others(
    client, acme_admin, acme_invitation, cz_english
):
    _invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    page = client.get(path).text
    assert "SAMPLE agreement text for tests, CZ cs-CZ." in page
    languages = page.split("data-agreement-languages", 1)[1].split("</nav>", 1)[0]
    assert 'href="?language=en-US"' in languages
    english = client.get(path, {"language": "en-US"}).text
    assert "SAMPLE agreement text for tests, CZ en-US." in english
    assert '<input type="hidden" name="language" value="en-US">' in english


def test_accepting_the_english_document_records_its_hash(
    client, acme_admin, acme_invitation, cz_english
):
    _invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    client.get(path, {"language": "en-US"})
    response = press_accept(client, path, {"accept_agreement": "on", "language": "en-US"})
    assert response.status_code == 302
    assert Acceptance.objects.get().document_sha256 == cz_english.sha256


def test_accepting_from_home_in_english_too(client, acme_admin, acme_invitation, cz_english):
    invitation, _path, _token = acme_invitation
    client.force_login(acme_admin)
    url = f"/admin-center/requests/{invitation.public_id}/"
    response = press_accept(client, url, {"accept_agreement": "on", "language": "en-US"})
    assert response.status_code == 302
    assert Acceptance.objects.get().document_sha256 == cz_english.sha256


def test_without_a_choice_the_customers_language_is_recorded(
    client, acme_admin, acme_invitation, template_cz, cz_english
):
    _invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    press_accept(client, path, {"accept_agreement": "on"})
    czech = template_cz.documents.get(country="CZ", language="cs-CZ")
    assert Acceptance.objects.get().document_sha256 == czech.sha256


def test_a_language_not_published_there_shows_and_records_the_customers_own(
    client, acme_admin, acme_invitation, template_cz, cz_english
):
    _invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    shown = client.get(path, {"language": "de-DE"})
    assert "SAMPLE agreement text for tests, CZ cs-CZ." in shown.text  # the default instead
    # The page carries the document it showed: a language posted beside it changes nothing.
    response = press_accept(client, path, {"accept_agreement": "on", "language": "de-DE"})
    assert response.status_code == 302
    czech = template_cz.documents.get(country="CZ", language="cs-CZ")
    assert Acceptance.objects.get().document_sha256 == czech.sha256


def test_the_download_takes_the_language(client, acme_admin, cz_english):
    client.force_login(acme_admin)
    response = client.get("/admin-center/agreement/", {"language": "en-US"})
    assert response.status_code == 200
    assert "CZ-en-US" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == cz_english.file.open("rb").read()
