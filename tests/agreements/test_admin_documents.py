"""R9 in the admin: published agreement documents and template versions never change."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import AgreementDocument, AgreementTemplate, PublishedAgreementError
from tests import factories as f

pytestmark = pytest.mark.django_db


def stored_bytes(document: AgreementDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def czech_document(template_cz):
    return template_cz.documents.get(country="CZ")


@pytest.fixture
def accepted_document(czech_document, acme, alice):
    """The Czech document, with an acceptance record holding its SHA-256."""
    record = f.attest(acme, alice)
    assert record.document_sha256 == czech_document.sha256
    return czech_document


# --- the operator in the document admin ---------------------------------------------------


def test_the_operator_sees_a_published_document_read_only(client, operator, czech_document):
    client.force_login(operator)
    page = client.get(
        reverse("admin:agreements_agreementdocument_change", args=[czech_document.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert czech_document.sha256 in html
    for field in ("file", "country", "language", "template"):
        assert f'name="{field}"' not in html


def test_posting_a_new_file_for_a_published_document_is_refused(client, operator, czech_document):
    before_sha, before_bytes = czech_document.sha256, stored_bytes(czech_document)
    client.force_login(operator)
    response = client.post(
        reverse("admin:agreements_agreementdocument_change", args=[czech_document.pk]),
        {
            "template": czech_document.template_id,
            "country": "CZ",
            "language": "cs-CZ",
            "content_type": "text/plain; charset=utf-8",
            "file": SimpleUploadedFile("evil.txt", b"Different terms.", "text/plain"),
            "uploaded_at_0": "2026-01-01",
            "uploaded_at_1": "10:00:00",
        },
    )
    assert response.status_code == 403
    czech_document.refresh_from_db()
    assert czech_document.sha256 == before_sha
    assert stored_bytes(czech_document) == before_bytes


def test_the_operator_cannot_delete_a_document_acceptances_point_to(
    client, operator, accepted_document
):
    client.force_login(operator)
    delete_url = reverse("admin:agreements_agreementdocument_delete", args=[accepted_document.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AgreementDocument.objects.filter(pk=accepted_document.pk).exists()


def test_the_document_list_offers_no_bulk_delete(client, operator, accepted_document):
    client.force_login(operator)
    changelist = reverse("admin:agreements_agreementdocument_changelist")
    assert "delete_selected" not in client.get(changelist).content.decode()
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [accepted_document.pk]}
    )
    assert AgreementDocument.objects.filter(pk=accepted_document.pk).exists()
    assert response.status_code in (200, 302)


def test_the_operator_still_uploads_a_document_for_a_new_country(client, operator, template_cz):
    client.force_login(operator)
    response = client.post(
        reverse("admin:agreements_agreementdocument_add"),
        {
            "template": template_cz.pk,
            "country": "DE",
            "language": "de-DE",
            "content_type": "text/plain; charset=utf-8",
            "file": SimpleUploadedFile("mca.txt", b"Deutscher Text.", "text/plain"),
            "uploaded_at_0": "2026-01-01",
            "uploaded_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = template_cz.documents.get(country="DE")
    assert document.sha256 == hashlib.sha256(b"Deutscher Text.").hexdigest()


# --- the operator in the template admin ----------------------------------------------------


def test_publishing_a_new_version_through_the_template_admin(client, operator, czech_document):
    client.force_login(operator)
    response = client.post(
        reverse("admin:agreements_agreementtemplate_add"),
        {
            "agreement_type": "MicrosoftCustomerAgreement",
            "version_rank": czech_document.template.version_rank + 10,
            "title": "Microsoft Customer Agreement",
            "published_on": "2026-02-01",
            "documents-TOTAL_FORMS": "1",
            "documents-INITIAL_FORMS": "0",
            "documents-MIN_NUM_FORMS": "0",
            "documents-MAX_NUM_FORMS": "1000",
            "documents-0-country": "CZ",
            "documents-0-language": "cs-CZ",
            "documents-0-content_type": "text/plain; charset=utf-8",
            "documents-0-file": SimpleUploadedFile("mca.txt", b"Nova verze.", "text/plain"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    latest = AgreementDocument.objects.latest_for("CZ")
    assert latest.template.version_rank == czech_document.template.version_rank + 10
    assert latest.sha256 == hashlib.sha256(b"Nova verze.").hexdigest()
    assert AgreementDocument.objects.get(pk=czech_document.pk).sha256 == czech_document.sha256


def test_the_template_form_shows_version_rank_and_documents_read_only(
    client, operator, template_cz
):
    client.force_login(operator)
    page = client.get(reverse("admin:agreements_agreementtemplate_change", args=[template_cz.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="version_rank"' not in html
    assert 'name="agreement_type"' not in html
    # The two existing documents are shown, not editable; the extra row can add a third.
    assert 'name="documents-0-language"' not in html
    assert 'name="documents-0-DELETE"' not in html
    assert 'name="documents-2-language"' in html


def test_posting_a_new_version_rank_is_ignored(client, operator, template_cz):
    rank = template_cz.version_rank
    documents = list(template_cz.documents.order_by("pk").values_list("pk", "sha256", "language"))
    client.force_login(operator)
    response = client.post(
        reverse("admin:agreements_agreementtemplate_change", args=[template_cz.pk]),
        {
            "version_rank": rank + 50,
            "title": "Renamed",
            "published_on": "2026-02-01",
            "documents-TOTAL_FORMS": "2",
            "documents-INITIAL_FORMS": "2",
            "documents-MIN_NUM_FORMS": "0",
            "documents-MAX_NUM_FORMS": "1000",
            "documents-0-id": documents[0][0],
            "documents-0-template": template_cz.pk,
            "documents-0-language": "xx-XX",
            "documents-0-DELETE": "on",
            "documents-1-id": documents[1][0],
            "documents-1-template": template_cz.pk,
            "documents-1-language": "yy-YY",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    published_on = template_cz.published_on
    template_cz.refresh_from_db()
    assert template_cz.version_rank == rank
    # Nothing about a published version changes: not its title, not its date.
    assert template_cz.title != "Renamed"
    assert template_cz.published_on == published_on
    assert (
        list(template_cz.documents.order_by("pk").values_list("pk", "sha256", "language"))
        == documents
    )


def test_the_operator_cannot_delete_a_template_acceptances_cite(
    client, operator, accepted_document
):
    template = accepted_document.template
    client.force_login(operator)
    delete_url = reverse("admin:agreements_agreementtemplate_delete", args=[template.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AgreementTemplate.objects.filter(pk=template.pk).exists()


def test_the_operator_cannot_delete_a_template_with_documents(client, operator, template_cz):
    client.force_login(operator)
    delete_url = reverse("admin:agreements_agreementtemplate_delete", args=[template_cz.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AgreementTemplate.objects.filter(pk=template_cz.pk).exists()


def test_the_operator_deletes_a_template_nothing_depends_on_yet(client, operator):
    template = f.AgreementTemplateFactory(version_rank=77)
    client.force_login(operator)
    delete_url = reverse("admin:agreements_agreementtemplate_delete", args=[template.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not AgreementTemplate.objects.filter(pk=template.pk).exists()


# --- the models refuse on every other path -------------------------------------------------


def test_a_published_document_refuses_a_new_file(czech_document):
    before_sha, before_bytes = czech_document.sha256, stored_bytes(czech_document)
    czech_document.file = ContentFile(b"Different terms.", name="evil.txt")
    with pytest.raises(PublishedAgreementError) as error:
        czech_document.save()
    assert error.value.code == "document_changed"
    stored = AgreementDocument.objects.get(pk=czech_document.pk)
    assert stored.sha256 == before_sha
    assert stored_bytes(stored) == before_bytes


@pytest.mark.parametrize(
    ("field", "value"), [("country", "SK"), ("language", "sk-SK"), ("sha256", "0" * 64)]
)
def test_a_published_document_refuses_to_change_what_it_is_for(czech_document, field, value):
    setattr(czech_document, field, value)
    with pytest.raises(PublishedAgreementError):
        czech_document.save()
    stored = AgreementDocument.objects.get(pk=czech_document.pk)
    assert (str(stored.country), stored.language) == ("CZ", "cs-CZ")


def test_a_published_document_refuses_to_move_to_another_template(czech_document):
    published_in = czech_document.template_id
    czech_document.template = f.AgreementTemplateFactory()
    with pytest.raises(PublishedAgreementError):
        czech_document.save()
    assert AgreementDocument.objects.get(pk=czech_document.pk).template_id == published_in


def test_bulk_writes_cannot_change_a_published_document(czech_document):
    documents = AgreementDocument.objects.filter(pk=czech_document.pk)
    with pytest.raises(PublishedAgreementError):
        documents.update(file="agreements/elsewhere.txt")
    with pytest.raises(PublishedAgreementError):
        documents.update(country="SK")
    czech_document.language = "sk-SK"
    with pytest.raises(PublishedAgreementError):
        AgreementDocument.objects.bulk_update([czech_document], ["language"])
    assert AgreementDocument.objects.get(pk=czech_document.pk).language == "cs-CZ"


def test_saving_a_document_unchanged_keeps_its_digest(czech_document):
    before = czech_document.sha256
    czech_document.content_type = "text/plain"
    czech_document.save()
    czech_document.refresh_from_db()
    assert czech_document.sha256 == before
    assert czech_document.content_type == "text/plain"


def test_a_document_acceptances_point_to_cannot_be_deleted(accepted_document):
    with pytest.raises(PublishedAgreementError) as error:
        accepted_document.delete()
    assert error.value.code == "document_in_evidence"
    with pytest.raises(PublishedAgreementError):
        AgreementDocument.objects.filter(pk=accepted_document.pk).delete()
    assert AgreementDocument.objects.filter(pk=accepted_document.pk).exists()


def test_a_document_nobody_accepted_may_still_be_deleted_in_code(accepted_document):
    english = accepted_document.template.documents.get(country="US")
    english.delete()
    assert not AgreementDocument.objects.filter(pk=english.pk).exists()


def test_a_template_refuses_a_new_version_rank(template_cz):
    rank = template_cz.version_rank
    template_cz.version_rank = rank + 1
    with pytest.raises(PublishedAgreementError) as error:
        template_cz.save()
    assert error.value.code == "template_changed"
    with pytest.raises(PublishedAgreementError):
        AgreementTemplate.objects.filter(pk=template_cz.pk).update(version_rank=rank + 1)
    assert AgreementTemplate.objects.get(pk=template_cz.pk).version_rank == rank


def test_a_template_may_still_be_retitled(template_cz):
    template_cz.title = "MCA"
    template_cz.save()
    assert AgreementTemplate.objects.get(pk=template_cz.pk).title == "MCA"


def test_a_template_acceptances_cite_cannot_be_deleted(accepted_document):
    template = accepted_document.template
    with pytest.raises(PublishedAgreementError) as error:
        template.delete()
    assert error.value.code == "template_in_evidence"
    assert AgreementTemplate.objects.filter(pk=template.pk).exists()


def test_a_published_versions_date_cannot_be_moved(template_cz):
    import datetime

    from agreements.models import AgreementTemplate, PublishedAgreementError

    template_cz.published_on -= datetime.timedelta(days=365)
    with pytest.raises(PublishedAgreementError):
        template_cz.save()
    with pytest.raises(PublishedAgreementError):
        AgreementTemplate.objects.filter(pk=template_cz.pk).update(
            published_on=datetime.date(2020, 1, 1)
        )
