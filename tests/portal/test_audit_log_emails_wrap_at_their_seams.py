"""The audit log's narrow By and Target columns: a tester found long email addresses broken
mid-word (Bootstrap's text-break). An address now wraps only at its seams, a <wbr> after the @
and before each dot, and nothing else in the cells changes."""

import pytest
from django.urls import reverse

from portal.audit import record_audit
from portal.models import AuditAction, Role
from portal.templatetags.emails import domain_seams, email_seams, plain_domain_seams
from tests import factories as f

pytestmark = pytest.mark.django_db

LONG = "bartholomew.featherstonehaugh@contoso-partner-services.example"
SEAMED = (
    '<span class="email" data-email>bartholomew<wbr>.featherstonehaugh@<wbr>'
    "contoso-partner-services<wbr>.example</span>"
)


def test_an_address_gets_a_break_after_the_at_and_before_each_dot():
    assert email_seams(LONG) == SEAMED


def test_other_text_is_left_as_it_is_and_everything_is_escaped():
    assert email_seams("Acme s.r.o.") == "Acme s.r.o."
    assert email_seams("—") == "—"
    assert email_seams("<b>x</b>@evil.example") == (
        '<span class="email" data-email>&lt;b&gt;x&lt;/b&gt;@<wbr>evil<wbr>.example</span>'
    )


def test_the_audit_log_wraps_addresses_at_their_seams_not_mid_word(client, alice, contoso):
    agent = f.AgentFactory(partner=contoso, email=LONG, role=Role.SALES_AGENT)
    record_audit(action=AuditAction.AGENT_INVITED, actor=agent, target=agent)
    client.force_login(alice)
    for language in ("en", "cs"):
        client.cookies["django_language"] = language
        html = client.get(reverse("agents:audit"), HTTP_ACCEPT_LANGUAGE=language).text
        table = html.split("<table", 1)[1].split("</table>", 1)[0]
        assert table.count(SEAMED) == 2  # By and Target
        assert "text-break" not in table


def test_an_entry_without_an_actor_shows_a_dash(client, alice, contoso):
    record_audit(action=AuditAction.SIGN_IN_FAILED, partner=contoso, target_label=LONG)
    client.force_login(alice)
    table = client.get(reverse("agents:audit")).text.split("<table", 1)[1]
    assert "<td>—</td>" in table
    assert SEAMED in table


@pytest.mark.parametrize(
    "domain",
    [
        "graphicdesigninstitute.onmicrosoft.com",
        "tom.example",
        "nodots",
        ".leading.and.trailing.",
        "a&b<c>\"d'.example",
        "",
    ],
)
def test_a_plain_domain_is_seamed_and_escaped_as_the_filter_does_it(domain):
    """The customers list writes its rows in one pass (customers/templatetags/customer_rows.py)
    with plain_domain_seams: the same markup the domain_seams filter gives."""
    assert plain_domain_seams(domain) == str(domain_seams(domain))
