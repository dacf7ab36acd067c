import pytest

from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_an_unknown_v1_path_is_a_json_404(api_as, alice):
    response = api_as(alice).get("/v1/no-such-thing")
    assert_error(response, 404, 1000)


def test_an_unknown_v1_path_is_a_json_404_even_without_a_token(anonymous_api):
    assert_error(anonymous_api.delete("/v1/customers/x/y/z"), 404, 1000)


def test_an_unknown_v1_path_with_a_newline_in_it_is_a_json_404(api_as, alice):
    response = api_as(alice).get("/v1/customers/a%0Ab/agreements")
    assert_error(response, 404, 1000)


def test_a_wrong_method_is_a_json_405(api_as, alice):
    assert_error(api_as(alice).delete("/v1/agreements"), 405, 405)


def test_a_non_json_body_is_a_json_415(api_as, alice):
    response = api_as(alice).post("/v1/customers", {"companyProfile": "x"})
    assert_error(response, 415, 415)


def test_malformed_json_is_a_400_with_code_800002(api_as, alice):
    response = api_as(alice).post(
        "/v1/customers", '{"companyProfile": ', content_type="application/json"
    )
    body = assert_error(response, 400, 800002)
    assert "JSON" in body["description"]


def test_asking_for_html_is_a_json_406(api_as, alice):
    response = api_as(alice).get("/v1/agreements", headers={"Accept": "text/html"})
    assert_error(response, 406, 406)


def test_an_unexpected_failure_is_a_json_500(api_as, alice, monkeypatch, caplog):
    from agreements import api

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "agreement_type_filter", explode)
    response = api_as(alice).get("/v1/agreements")
    body = assert_error(response, 500, 500)
    assert "boom" not in body["description"]
    assert "Unhandled error" in caplog.text


def test_correlation_and_request_ids_are_echoed(api_as, alice):
    response = api_as(alice).get(
        "/v1/agreements", headers={"MS-CorrelationId": "corr-1", "MS-RequestId": "req-1"}
    )
    assert response["MS-CorrelationId"] == "corr-1"
    assert response["MS-RequestId"] == "req-1"


def test_correlation_ids_are_echoed_on_errors_too(anonymous_api):
    response = anonymous_api.get("/v1/agreements", headers={"MS-CorrelationId": "corr-2"})
    assert response.status_code == 401
    assert response["MS-CorrelationId"] == "corr-2"
