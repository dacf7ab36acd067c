"""A4: downloading the latest agreement document: type, file name and SHA-256 as ETag."""

import hashlib

import pytest
from django.urls import reverse

from tests import factories as f


def url(country):
    return reverse("agreements:download", args=[country])


@pytest.mark.parametrize("persona", ["alice", "hana", "bill", "nora"])
def test_any_agent_downloads_the_czech_template(request, client, template_cz, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url("CZ"))
    body = b"".join(response.streaming_content)
    document = template_cz.documents.get(country="CZ")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["ETag"] == f'"{document.sha256}"'
    assert hashlib.sha256(body).hexdigest() == document.sha256
    assert response["Content-Disposition"] == (
        f'attachment; filename="microsoft-customer-agreement-v{template_cz.version_rank}'
        f'-CZ-cs-CZ.txt"'
    )


def test_the_latest_version_is_downloaded(client, hana, template_cz):
    newer = f.AgreementDocumentFactory(
        country="CZ", language="cs-CZ", content_type="application/pdf"
    )
    client.force_login(hana)
    response = client.get(url("cz"))
    assert response["ETag"] == f'"{newer.sha256}"'
    assert response["Content-Type"] == "application/pdf"


def test_an_unchanged_document_answers_304(client, hana, template_cz):
    client.force_login(hana)
    etag = client.get(url("CZ"))["ETag"]
    response = client.get(url("CZ"), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag


def test_a_country_with_no_document_is_not_found_with_a_clear_message(client, hana, template_cz):
    client.force_login(hana)
    response = client.get(url("FR"))
    assert response.status_code == 404
    assert "No Microsoft Customer Agreement is published for France." in response.text


def test_an_unknown_country_code_is_not_found(client, hana, template_cz):
    client.force_login(hana)
    assert client.get(url("XX")).status_code == 404


def test_customer_admin_cannot_use_the_partner_download(client, acme_admin, template_cz):
    client.force_login(acme_admin)
    assert client.get(url("CZ")).status_code == 403


def test_anonymous_visitor_cannot_download(client, template_cz):
    assert client.get(url("CZ")).status_code == 302
