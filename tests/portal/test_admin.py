import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from agreements.models import Acceptance, EvidenceChainHead
from invitations.models import Invitation
from tests import factories as f

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"portal", "customers", "agreements", "invitations"}


def test_every_model_is_registered_with_the_admin():
    missing = [
        model.__name__
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        and model is not EvidenceChainHead
        and model not in admin.site._registry
        and not model._meta.auto_created
        and model._meta.model_name != "orderline"
    ]
    assert not missing


def test_every_changelist_opens_for_an_operator_in_bounded_queries(
    client, operator, demo_world, django_assert_max_num_queries
):
    client.force_login(operator)
    for model in admin.site._registry:
        if model._meta.app_label not in PROJECT_APPS:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        with django_assert_max_num_queries(15):
            response = client.get(url)
        assert response.status_code == 200, url


def test_agents_and_customer_admins_cannot_enter_the_admin(client, alice, acme_admin):
    for user in (alice, acme_admin):
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 302
        assert "/admin/login/" in response.url


def test_the_admin_shows_acceptance_read_only(client, operator, acme, alice):
    record = f.attest(acme, alice)
    client.force_login(operator)
    change_url = reverse("admin:agreements_acceptance_change", args=[record.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert 'name="first_name"' not in page.content.decode()
    assert client.post(change_url, {"first_name": "Mallory"}).status_code == 403
    assert client.get(reverse("admin:agreements_acceptance_add")).status_code == 403
    delete_url = reverse("admin:agreements_acceptance_delete", args=[record.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Acceptance.objects.get(pk=record.pk).first_name == "Jana"


def test_the_admin_never_displays_token_hashes_or_password_hashes(client, operator, acme, contoso):
    invitation = f.InvitationFactory(partner=contoso, customer=acme)
    client.force_login(operator)
    page = client.get(reverse("admin:invitations_invitation_change", args=[invitation.pk]))
    assert invitation.token_hash not in page.content.decode()
    user_page = client.get(reverse("admin:portal_user_change", args=[operator.pk]))
    assert operator.password not in user_page.content.decode()
    assert "pbkdf2" not in user_page.content.decode()
    assert Invitation.objects.count() == 1


def test_operators_upload_agreement_documents(client, operator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    template = f.AgreementTemplateFactory()
    client.force_login(operator)
    response = client.post(
        reverse("admin:agreements_agreementdocument_add"),
        {
            "template": template.pk,
            "country": "SK",
            "language": "sk-SK",
            "content_type": "application/pdf",
            "file": SimpleUploadedFile("mca.pdf", b"%PDF-1.4 sample", "application/pdf"),
            "uploaded_at_0": "2026-01-01",
            "uploaded_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = template.documents.get()
    import hashlib

    assert document.sha256 == hashlib.sha256(b"%PDF-1.4 sample").hexdigest()
