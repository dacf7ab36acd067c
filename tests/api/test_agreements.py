import pytest

from tests import factories as f
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill", "nora"])
def test_every_agent_reads_the_agreement_templates(api_as, persona, request, template_cz):
    newer = f.AgreementTemplateFactory(version_rank=template_cz.version_rank + 1)
    response = api_as(request.getfixturevalue(persona)).get(
        "/v1/agreements?agreementType=MicrosoftCustomerAgreement"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["totalCount"] == 2
    assert body["attributes"] == {"objectType": "Collection"}
    first = body["items"][0]
    assert first == {
        "templateId": str(newer.template_id),
        "agreementType": "MicrosoftCustomerAgreement",
        "agreementLink": f"http://127.0.0.1:8000/v1/agreementtemplates/{newer.template_id}/document",
        "versionRank": newer.version_rank,
    }


def test_a_star_lists_every_agreement_type(api_as, alice, template_cz):
    body = api_as(alice).get("/v1/agreements?agreementType=*").json()
    assert [item["templateId"] for item in body["items"]] == [str(template_cz.template_id)]


def test_the_type_defaults_to_the_customer_agreement(api_as, alice, template_cz):
    assert api_as(alice).get("/v1/agreements").json()["totalCount"] == 1


def test_an_unknown_agreement_type_is_400(api_as, alice, template_cz):
    response = api_as(alice).get("/v1/agreements?agreementType=MicrosoftCloudAgreement")
    body = assert_error(response, 400, 800002)
    assert "agreementType" in body["description"]


def test_agreement_links_use_the_configured_base_url(api_as, alice, template_cz, settings):
    settings.PORTAL_BASE_URL = "https://portal.example"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    response = api_as(alice).get("/v1/agreements", headers={"Host": "evil.example"})
    assert response.json()["items"][0]["agreementLink"].startswith("https://portal.example/v1/")


def test_agreements_need_a_token(anonymous_api, template_cz):
    assert_error(anonymous_api.get("/v1/agreements"), 401)
