"""Creation is all or nothing: a failure in the last step leaves no row behind."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

import invitations.onboarding
import invitations.services
from tests.customers.conftest import new_customer_data, row_counts


def test_a_failure_recording_the_acceptance_leaves_nothing_behind(
    client, sam, template_cz, monkeypatch
):
    def fail(**kwargs):
        raise ValidationError("The evidence store refused the record.")

    monkeypatch.setattr(invitations.services, "record_acceptance", fail)
    client.force_login(sam)
    review = client.post(reverse("customers:new"), new_customer_data())["Location"]
    before = row_counts()
    response = client.post(review)
    assert response.status_code == 400
    assert "The evidence store refused the record." in response.text
    assert row_counts() == before


def test_a_crash_creating_the_invitation_leaves_nothing_behind(
    client, sam, template_cz, monkeypatch
):
    def crash(**kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr(invitations.services, "create_invitation", crash)
    client.raise_request_exception = True
    client.force_login(sam)
    review = client.post(
        reverse("customers:new"), new_customer_data(agreement="invite", date_agreed=None)
    )["Location"]
    before = row_counts()
    with pytest.raises(RuntimeError):
        client.post(review)
    assert row_counts() == before


def test_a_missing_agreement_document_at_creation_leaves_nothing_behind(client, sam, template_cz):
    client.force_login(sam)
    review = client.post(reverse("customers:new"), new_customer_data())["Location"]
    template_cz.documents.all().delete()
    before = row_counts()
    response = client.post(review)
    assert response.status_code == 400
    assert row_counts() == before


def test_a_domain_taken_during_the_insert_is_a_clear_conflict(
    client, sam, template_cz, monkeypatch
):
    from django.db import IntegrityError

    def collide(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(invitations.onboarding, "onboard_customer", collide)
    client.force_login(sam)
    review = client.post(reverse("customers:new"), new_customer_data())["Location"]
    before = row_counts()
    response = client.post(review)
    assert response.status_code == 409
    assert "This domain was taken a moment ago." in response.text
    assert row_counts() == before
