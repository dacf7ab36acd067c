"""A write's answer (POST …/agreements) is its record as GET …/agreements lists it: one
serializer a thread represents each written record (portal.api.schema.Representer), given a
fresh context each time; what it gives is AgreementSerializer's, record after record."""

import pytest

from agreements.api import AgreementSerializer, represent_agreement
from tests import factories as f
from tests.api.payloads import attestation

pytestmark = pytest.mark.django_db


def url(customer):
    return f"/v1/customers/{customer.tenant_id}/agreements"


def test_the_answer_to_an_attestation_is_the_record_the_history_lists(
    api_as, alice, acme, template_cz
):
    written = api_as(alice).post_json(url(acme), attestation(template_cz))
    assert written.status_code == 201
    [listed] = api_as(alice).get(url(acme)).json()["items"]
    assert written.json() == listed


def test_the_kept_serializer_represents_every_kind_of_record_as_a_new_one_would(
    alice, contoso, acme, template_cz
):
    admin = f.CustomerAdminFactory(customer=acme)
    records = [
        f.attest(acme, alice),
        f.accept_directly(acme, admin, contoso),
        f.attest(acme, alice, first_name="Petr", phone="+420601123456"),
    ]
    for record in records:
        assert represent_agreement(record) == AgreementSerializer(record).data
