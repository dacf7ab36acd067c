"""The acceptance page carries the document it showed (signed, with its SHA-256); Accept records
exactly that one, and refuses (409, the page again with the version now in force, nothing
recorded) when a newer version was published meanwhile. An altered or missing field is 400."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile

from admin_center.forms import _shown_documents, shown_document_value
from agreements.models import Acceptance
from invitations.models import InvitationStatus
from tests import factories as f
from tests.admin_center.accepting import carried, press_accept

pytestmark = pytest.mark.django_db

TICKED = {"accept_agreement": "on"}


def publish_new_version(country="CZ", language="cs-CZ"):
    return f.AgreementDocumentFactory(
        template=f.AgreementTemplateFactory(published_on=datetime.date(2021, 1, 1)),
        country=country,
        language=language,
        file=ContentFile(b"SAMPLE agreement, the NEW version.\n", name="mca.txt"),
    )


def test_accept_records_exactly_the_document_the_page_showed(
    client, acme_admin, acme_invitation, template_cz
):
    invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    czech = template_cz.documents.get(country="CZ", language="cs-CZ")
    fields = carried(client, path)
    assert fields["document"] == shown_document_value(czech)
    assert czech.sha256 in fields["document"]
    assert press_accept(client, path, TICKED).status_code == 302
    record = Acceptance.objects.get()
    assert (record.template, record.document_sha256) == (template_cz, czech.sha256)


@pytest.mark.parametrize("how", ["email link", "home page"])
def test_a_version_published_between_reading_and_accepting_is_refused(
    client, acme_admin, acme_invitation, template_cz, how
):
    invitation, path, _token = acme_invitation
    if how == "home page":
        path = f"/admin-center/requests/{invitation.public_id}/"
    client.force_login(acme_admin)
    shown = carried(client, path)
    newer = publish_new_version()
    response = client.post(path + "accept/", {**TICKED, **shown})
    assert response.status_code == 409
    page = response.content.decode()
    assert "A newer version of the agreement was published while the page was open." in page
    # The page again, with the new version and a form that carries it, nothing ticked.
    assert "SAMPLE agreement, the NEW version." in page
    assert f'name="document" value="{shown_document_value(newer)}"' in page
    assert "checked" not in page
    assert not Acceptance.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status != InvitationStatus.ACCEPTED
    # Read again and accepted: the new version is what is recorded.
    assert press_accept(client, path, TICKED).status_code == 302
    assert Acceptance.objects.get().document_sha256 == newer.sha256


def test_a_version_published_in_another_language_only_refuses_too(
    client, acme_admin, acme_invitation, template_cz
):
    """The new version exists only in English: the Czech document shown is no longer in force."""
    _invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    shown = carried(client, path)
    english = publish_new_version(language="en-US")
    response = client.post(path + "accept/", {**TICKED, **shown})
    assert response.status_code == 409
    assert f'value="{shown_document_value(english)}"' in response.content.decode()
    assert not Acceptance.objects.exists()


@pytest.mark.parametrize(
    "value",
    ["", "42", "1:abc:forged-signature", "x" * 500],
    ids=["empty", "bare id", "forged", "long"],
)
def test_an_altered_document_field_is_refused(client, acme_admin, acme_invitation, value):
    _invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    fields = carried(client, path)
    response = client.post(path + "accept/", {**TICKED, **fields, "document": value})
    assert response.status_code == 400
    assert "This page could not tell which agreement you were shown." in response.text
    assert not Acceptance.objects.exists()


def test_a_missing_document_field_is_refused(client, acme_admin, acme_invitation):
    _invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    response = client.post(path + "accept/", TICKED)
    assert response.status_code == 400
    assert not Acceptance.objects.exists()


def test_a_signed_value_for_another_document_id_is_refused(
    client, acme_admin, acme_invitation, template_cz
):
    """The SHA-256 is signed with the id: a document swapped under the same id doesn't pass."""
    _invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    czech = template_cz.documents.get(country="CZ", language="cs-CZ")
    other = template_cz.documents.get(country="US")
    forged = _shown_documents.sign(f"{czech.pk}:{other.sha256}")
    response = client.post(path + "accept/", {**TICKED, "document": forged})
    assert response.status_code == 400
    assert not Acceptance.objects.exists()


def test_another_countrys_document_is_refused(client, acme_admin, acme_invitation, template_cz):
    """A signed value the site gave another page (the US document) isn't this customer's."""
    _invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    us = template_cz.documents.get(country="US")
    response = client.post(path + "accept/", {**TICKED, "document": shown_document_value(us)})
    assert response.status_code == 409
    assert not Acceptance.objects.exists()


def test_the_notice_is_in_czech(client, acme_admin, acme_invitation, template_cz):
    _invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    client.cookies["django_language"] = "cs"
    shown = carried(client, path)
    publish_new_version()
    response = client.post(path + "accept/", {**TICKED, **shown}, HTTP_ACCEPT_LANGUAGE="cs")
    assert response.status_code == 409
    assert "byla zveřejněna novější verze smlouvy" in response.content.decode()
