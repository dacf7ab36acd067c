import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from portal.hashing import hash_token
from portal.models import ApiToken
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def issue(*args) -> list[str]:
    out = io.StringIO()
    call_command("issue_api_token", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_it_prints_a_working_token_alone_on_the_last_line(hana):
    lines = issue("HANA@contoso.example", "--name", "reports")
    secret = lines[-1]
    assert " " not in secret and len(secret) >= 40
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.token_hash) == (hana, "reports", hash_token(secret))
    assert ApiClient(secret).get("/v1/agreements").status_code == 200


def test_the_name_has_a_default(alice):
    issue(alice.email)
    assert ApiToken.objects.get().name == "issued by manage.py"


def test_an_unknown_email_is_refused(db):
    with pytest.raises(CommandError, match="No user"):
        issue("nobody@example.com")
    assert not ApiToken.objects.exists()


def test_a_customer_admin_gets_no_token(acme_admin):
    with pytest.raises(CommandError, match="not an active agent"):
        issue(acme_admin.email)


def test_an_operator_gets_no_token(operator):
    with pytest.raises(CommandError, match="not an active agent"):
        issue(operator.email)


def test_an_empty_name_is_refused(alice):
    with pytest.raises(CommandError, match="name"):
        issue(alice.email, "--name", "  ")


def test_a_token_from_the_command_expires_after_90_days_by_default(alice):
    lines = issue(alice.email)
    token = ApiToken.objects.get()
    assert token.expires_at - token.created_at == datetime.timedelta(days=90)
    assert f"valid until {token.expires_at:%Y-%m-%d}" in lines[0]


def test_the_command_takes_a_lifetime_in_days(alice):
    issue(alice.email, "--days", "30")
    token = ApiToken.objects.get()
    assert token.expires_at - token.created_at == datetime.timedelta(days=30)


@pytest.mark.parametrize("days", ["0", "366"])
def test_the_command_refuses_a_lifetime_outside_a_year(alice, days):
    with pytest.raises(CommandError, match="--days"):
        issue(alice.email, "--days", days)
    assert not ApiToken.objects.exists()
