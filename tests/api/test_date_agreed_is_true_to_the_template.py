"""POST /v1/customers/{id}/agreements: dateAgreed may not precede the publication of the
template it names (400, 800002, naming the date), and a date-time that overflows as it is read
in the portal's time zone is bad input, never a 500."""

import datetime

import pytest

from agreements.models import Acceptance
from tests.api.conftest import assert_error
from tests.api.payloads import attestation
from tests.versions import V2_PUBLISHED, publish_after

pytestmark = pytest.mark.django_db


def url(customer):
    return f"/v1/customers/{customer.tenant_id}/agreements"


@pytest.fixture
def v2(template_cz):
    return publish_after(template_cz, V2_PUBLISHED)


def test_a_date_before_the_templates_publication_is_refused_naming_it(api_as, sam, acme, v2):
    response = api_as(sam).post_json(url(acme), attestation(v2, dateAgreed="2019-03-01"))
    body = assert_error(response, 400, 800002)
    assert body["description"] == (
        f"dateAgreed: Version {v2.version_rank} of the Microsoft Customer Agreement was "
        "published on 2026-09-01, so it can't have been accepted on 2019-03-01."
    )
    assert not Acceptance.objects.exists()


def test_the_day_before_publication_is_refused_and_the_day_itself_accepted(api_as, sam, acme, v2):
    client = api_as(sam)
    before = (V2_PUBLISHED - datetime.timedelta(days=1)).isoformat()
    assert_error(client.post_json(url(acme), attestation(v2, dateAgreed=before)), 400, 800002)
    response = client.post_json(url(acme), attestation(v2, dateAgreed=V2_PUBLISHED.isoformat()))
    assert response.status_code == 201, response.content
    assert Acceptance.objects.get().date_agreed == V2_PUBLISHED


def test_a_date_time_is_read_in_prague_before_the_check(api_as, sam, acme, v2):
    # 23:30 UTC on 31 August is 1 September in Prague: the day of publication.
    response = api_as(sam).post_json(url(acme), attestation(v2, dateAgreed="2026-08-31T23:30:00Z"))
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("date_agreed", ["2019-12-31", "1900-01-01", "0001-01-01"])
def test_no_date_before_the_first_published_version_is_accepted(
    api_as, sam, acme, template_cz, date_agreed
):
    response = api_as(sam).post_json(url(acme), attestation(template_cz, dateAgreed=date_agreed))
    body = assert_error(response, 400, 800002)
    assert "was published on 2020-01-01" in body["description"]
    assert not Acceptance.objects.exists()


@pytest.mark.parametrize("date_agreed", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:30:00+01:00"])
def test_a_date_time_out_of_range_in_the_portals_time_zone_is_bad_input(
    api_as, sam, acme, template_cz, date_agreed
):
    response = api_as(sam).post_json(url(acme), attestation(template_cz, dateAgreed=date_agreed))
    body = assert_error(response, 400, 800002)
    assert body["description"].startswith("dateAgreed: This date-time is out of range")
    assert not Acceptance.objects.exists()


def test_a_helpdesk_agent_is_refused_before_the_date_is_read(api_as, hana, acme, v2):
    response = api_as(hana).post_json(url(acme), attestation(v2, dateAgreed="2019-03-01"))
    assert_error(response, 403, 403)
