"""The agents page: admin agents manage their partner's agents (DESIGN.md section 2)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from portal.models import ApiToken, AuditAction, AuditEntry, Role, User
from tests import factories as f
from tests.api.conftest import ApiClient
from tests.factories import PASSWORD
from tests.portal.agents_helpers import link_in_last_email, lock_out

pytestmark = pytest.mark.django_db


def test_an_admin_agent_sees_the_partners_agents_with_role_status_and_tokens(
    client, alice, sam, hana, bill, lisa, django_assert_num_queries
):
    ApiToken.issue(user=sam, name="sync")
    ApiToken.issue(user=sam, name="nightly", lifetime_days=30)
    hana.is_active = False
    hana.save()
    client.force_login(alice)
    # session, user, the agents with their tokens counted, the lockouts, the navigation's
    # unread count is on the user row: five at most whatever the number of agents.
    with django_assert_num_queries(4):
        response = client.get(reverse("agents:list"))
    assert response.status_code == 200
    page = response.content.decode()
    for agent in (alice, sam, hana, bill):
        assert agent.email in page
    assert lisa.email not in page
    assert "2 active, the first expires" in page
    assert "Deactivated" in page
    assert "Billing admin" in page


def test_the_agents_page_costs_the_same_with_many_agents(
    client, alice, contoso, django_assert_num_queries
):
    for n in range(30):
        agent = f.AgentFactory(partner=contoso, role=Role.SALES_AGENT, email=f"a{n}@c.example")
        ApiToken.issue(user=agent, name="t")
    client.force_login(alice)
    with django_assert_num_queries(4):
        assert client.get(reverse("agents:list")).status_code == 200


@pytest.mark.parametrize("persona", ["sam", "hana", "bill", "acme_admin", "operator"])
def test_only_admin_agents_reach_the_agents_page_and_the_audit_log(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("agents:list")).status_code == 403
    assert client.get(reverse("agents:audit")).status_code == 403
    assert client.get(reverse("agents:audit_export")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, alice):
    for url in (
        reverse("agents:list"),
        reverse("agents:detail", args=[alice.pk]),
        reverse("agents:audit"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/login/")


ACTIONS = ["role", "deactivate", "reactivate", "unlock", "reset", "resend"]


@pytest.mark.parametrize("persona", ["sam", "hana", "bill"])
@pytest.mark.parametrize("action", ACTIONS)
def test_other_roles_cannot_act_on_agents(client, request, persona, action, alice):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        reverse(f"agents:{action}", args=[alice.pk]), {"role": Role.HELPDESK_AGENT}
    )
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.role == Role.ADMIN_AGENT and alice.is_active
    assert not AuditEntry.objects.exclude(action=AuditAction.SIGNED_IN).exists()


@pytest.mark.parametrize("action", ACTIONS)
def test_an_admin_of_another_partner_gets_404(client, lisa, sam, action):
    client.force_login(lisa)
    assert client.get(reverse("agents:detail", args=[sam.pk])).status_code == 404
    response = client.post(reverse(f"agents:{action}", args=[sam.pk]), {"role": Role.ADMIN_AGENT})
    assert response.status_code == 404
    sam.refresh_from_db()
    assert sam.role == Role.SALES_AGENT and sam.is_active


def test_actions_answer_only_to_post(client, alice, sam):
    client.force_login(alice)
    assert client.get(reverse("agents:deactivate", args=[sam.pk])).status_code == 405


def test_the_agent_detail_page(client, alice, sam, django_assert_num_queries):
    ApiToken.issue(user=sam, name="sync")
    client.force_login(alice)
    with django_assert_num_queries(6):
        response = client.get(reverse("agents:detail", args=[sam.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert sam.email in page and "sync" in page and "Send a password reset" in page


def test_an_admin_invites_an_agent_who_sets_a_password_once_and_signs_in(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("agents:list"),
        {
            "email": "Nina@Contoso.example",
            "first_name": "Nina",
            "last_name": "Nováková",
            "role": Role.HELPDESK_AGENT,
        },
    )
    assert response.status_code == 302
    nina = User.objects.get(email="nina@contoso.example")
    assert nina.partner_id == alice.partner_id and nina.role == Role.HELPDESK_AGENT
    assert not nina.has_usable_password()
    entry = AuditEntry.objects.get(action=AuditAction.AGENT_INVITED)
    assert (entry.actor, entry.target, entry.ip_address) == (alice, nina, "127.0.0.1")
    # The invitation's page lists the agent as invited.
    assert "Invited" in client.get(reverse("agents:list")).content.decode()
    message = mail.outbox[-1]
    assert message.to == ["nina@contoso.example"]
    assert "Contoso Partner" in message.subject
    link = link_in_last_email(nina.email)
    assert "/password-reset/welcome/" in link
    # The kept copy of the email has no link.
    from portal.models import OutboxMessage

    kept = OutboxMessage.objects.get(recipient=nina.email)
    assert link.rsplit("/", 2)[-2] not in kept.body_text

    client.logout()
    form_url = client.get(link).url
    response = client.post(
        form_url, {"new_password1": "A-new-strong-pass-77", "new_password2": "A-new-strong-pass-77"}
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.PASSWORD_SET, target=nina).exists()
    # Single use: the same link now fails.
    assert client.get(link).status_code == 400
    assert (
        client.post(
            "/login/", {"username": nina.email, "password": "A-new-strong-pass-77"}
        ).status_code
        == 302
    )


def test_a_reset_link_does_not_stand_in_for_an_invitation(client, alice, sam):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from portal.passwords import reset_tokens

    uid = urlsafe_base64_encode(force_bytes(sam.pk))
    url = reverse("password:set", args=[uid, reset_tokens.make_token(sam)])
    assert client.get(url).status_code == 400


def test_inviting_bad_input_is_refused_with_nothing_saved(client, alice, lisa):
    client.force_login(alice)
    response = client.post(
        reverse("agents:list"),
        {"email": "not-an-email", "first_name": "", "last_name": "X", "role": "boss"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "Select a valid choice." in page
    response = client.post(
        reverse("agents:list"),
        {
            "email": "LISA@litware.example",
            "first_name": "L",
            "last_name": "X",
            "role": "sales_agent",
        },
    )
    assert response.status_code == 400
    assert "lisa@litware.example already has an account in the portal." in response.content.decode()
    assert User.objects.count() == 2
    assert not AuditEntry.objects.exclude(action=AuditAction.SIGNED_IN).exists()
    assert not mail.outbox


def test_an_admin_changes_a_role_and_it_bites_at_once(client, alice, sam, acme):
    client.force_login(alice)
    response = client.post(reverse("agents:role", args=[sam.pk]), {"role": Role.HELPDESK_AGENT})
    assert response.status_code == 302
    sam.refresh_from_db()
    assert sam.role == Role.HELPDESK_AGENT
    entry = AuditEntry.objects.get(action=AuditAction.ROLE_CHANGED)
    assert entry.details == "Sales agent → Helpdesk agent"
    sam_client = client.__class__()
    sam_client.force_login(sam)
    assert sam_client.get(reverse("invitations:list")).status_code == 403


def test_a_role_change_needs_a_valid_new_role(client, alice, sam):
    client.force_login(alice)
    response = client.post(reverse("agents:role", args=[sam.pk]), {"role": "owner"})
    assert response.status_code == 400
    response = client.post(reverse("agents:role", args=[sam.pk]), {"role": Role.SALES_AGENT})
    assert response.status_code == 400
    assert "The agent has this role already." in response.content.decode()
    sam.refresh_from_db()
    assert sam.role == Role.SALES_AGENT
    assert not AuditEntry.objects.exclude(action=AuditAction.SIGNED_IN).exists()


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(client, alice, sam):
    client.force_login(alice)
    response = client.post(reverse("agents:role", args=[alice.pk]), {"role": Role.SALES_AGENT})
    assert response.status_code == 400
    assert "last active admin agent" in response.content.decode()
    response = client.post(reverse("agents:deactivate", args=[alice.pk]))
    assert response.status_code == 400
    assert "last active admin agent" in response.content.decode()
    alice.refresh_from_db()
    assert alice.role == Role.ADMIN_AGENT and alice.is_active


def test_an_invited_or_deactivated_admin_does_not_count_as_the_other_admin(client, alice, contoso):
    invited = f.AgentFactory(partner=contoso, role=Role.ADMIN_AGENT, password="!unusable")
    gone = f.AgentFactory(partner=contoso, role=Role.ADMIN_AGENT, is_active=False)
    assert invited and gone
    client.force_login(alice)
    response = client.post(reverse("agents:role", args=[alice.pk]), {"role": Role.SALES_AGENT})
    assert response.status_code == 400


def test_with_a_second_admin_an_admin_may_step_down(client, alice, contoso):
    f.AgentFactory(partner=contoso, role=Role.ADMIN_AGENT)
    client.force_login(alice)
    response = client.post(reverse("agents:role", args=[alice.pk]), {"role": Role.SALES_AGENT})
    assert response.status_code == 302
    # Now a sales agent: the agents page is closed to her.
    assert client.get(reverse("agents:list")).status_code == 403


def test_deactivating_ends_sessions_and_tokens_at_once(client, alice, sam):
    _token, secret = ApiToken.issue(user=sam, name="sync")
    api = ApiClient(secret)
    assert api.get("/v1/agreements").status_code == 200
    sam_client = client.__class__()
    sam_client.force_login(sam)
    assert sam_client.get(reverse("dashboard")).status_code == 200

    client.force_login(alice)
    response = client.post(reverse("agents:deactivate", args=[sam.pk]))
    assert response.status_code == 302
    assert sam_client.get(reverse("dashboard")).status_code == 302
    assert api.get("/v1/agreements").status_code == 401
    assert ApiToken.objects.get().revoked_by == alice
    assert AuditEntry.objects.filter(action=AuditAction.AGENT_DEACTIVATED, target=sam).exists()
    assert (
        sam_client.post("/login/", {"username": sam.email, "password": PASSWORD}).status_code == 200
    )

    response = client.post(reverse("agents:deactivate", args=[sam.pk]))
    assert response.status_code == 400
    assert "deactivated already" in response.content.decode()

    response = client.post(reverse("agents:reactivate", args=[sam.pk]))
    assert response.status_code == 302
    assert (
        sam_client.post("/login/", {"username": sam.email, "password": PASSWORD}).status_code == 302
    )
    # Tokens stay revoked.
    assert api.get("/v1/agreements").status_code == 401
    response = client.post(reverse("agents:reactivate", args=[sam.pk]))
    assert response.status_code == 400


def test_an_admin_unlocks_a_locked_out_agent(client, alice, sam):
    lock_out(client, sam.email)
    assert client.post("/login/", {"username": sam.email, "password": PASSWORD}).status_code == 429
    admin = client.__class__()
    admin.force_login(alice)
    assert "Locked out" in admin.get(reverse("agents:list")).content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.LOCKED_OUT, target=sam).count() == 1
    # The fifth failure is the lockout's entry.
    assert AuditEntry.objects.filter(action=AuditAction.SIGN_IN_FAILED, target=sam).count() == 4

    response = admin.post(reverse("agents:unlock", args=[sam.pk]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=sam.email).exists()
    assert AuditEntry.objects.filter(action=AuditAction.AGENT_UNLOCKED, actor=alice).exists()
    assert client.post("/login/", {"username": sam.email, "password": PASSWORD}).status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.SIGNED_IN, target=sam).exists()

    response = admin.post(reverse("agents:unlock", args=[sam.pk]))
    assert response.status_code == 400
    assert "The agent isn&#x27;t locked out." in response.content.decode()


def test_an_admin_sends_a_password_reset(client, alice, sam):
    client.force_login(alice)
    response = client.post(reverse("agents:reset", args=[sam.pk]))
    assert response.status_code == 302
    assert mail.outbox[-1].to == [sam.email]
    assert "/password-reset/" in link_in_last_email(sam.email)
    assert AuditEntry.objects.filter(action=AuditAction.PASSWORD_RESET_SENT, target=sam).exists()


def test_a_reset_is_not_sent_to_an_invited_or_deactivated_agent(client, alice, contoso):
    invited = f.AgentFactory(partner=contoso, role=Role.SALES_AGENT, password="!x")
    gone = f.AgentFactory(partner=contoso, role=Role.SALES_AGENT, is_active=False)
    client.force_login(alice)
    assert client.post(reverse("agents:reset", args=[invited.pk])).status_code == 400
    assert client.post(reverse("agents:reset", args=[gone.pk])).status_code == 400
    assert client.post(reverse("agents:resend", args=[alice.pk])).status_code == 400
    assert not mail.outbox


def test_resending_an_invitation_replaces_the_earlier_link(client, alice):
    client.force_login(alice)
    client.post(
        reverse("agents:list"),
        {
            "email": "nina@contoso.example",
            "first_name": "N",
            "last_name": "N",
            "role": "sales_agent",
        },
    )
    nina = User.objects.get(email="nina@contoso.example")
    first = link_in_last_email(nina.email)
    assert client.post(reverse("agents:resend", args=[nina.pk])).status_code == 302
    second = link_in_last_email(nina.email)
    assert first != second
    client.logout()
    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 302


def test_an_invitation_link_expires_after_its_days(client, alice, settings, monkeypatch):
    import datetime

    from portal.passwords import invitation_tokens

    client.force_login(alice)
    client.post(
        reverse("agents:list"),
        {
            "email": "nina@contoso.example",
            "first_name": "N",
            "last_name": "N",
            "role": "sales_agent",
        },
    )
    link = link_in_last_email("nina@contoso.example")
    client.logout()
    # Django's token clock is naive local time: move it on directly.
    later = datetime.datetime.now() + datetime.timedelta(
        days=settings.AGENT_INVITATION_DAYS, hours=1
    )
    monkeypatch.setattr(invitation_tokens, "_now", lambda: later)
    response = client.get(link)
    assert response.status_code == 400
    assert "send the invitation again" in response.content.decode()


def test_the_invitation_email_is_in_the_partners_language(client, alice):
    # Contoso is in Czechia.
    client.force_login(alice)
    client.post(
        reverse("agents:list"),
        {
            "email": "nina@contoso.example",
            "first_name": "N",
            "last_name": "N",
            "role": "sales_agent",
        },
    )
    message = mail.outbox[-1]
    assert message.subject == "Pozvánka do portálu MCA jako agent partnera Contoso Partner"
    assert message.extra_headers["Content-Language"] == "cs"


def test_sign_ins_are_audited_with_the_address_and_unknown_names_are_not(client, sam, acme_admin):
    client.post("/login/", {"username": sam.email, "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    entry = AuditEntry.objects.get(action=AuditAction.SIGNED_IN)
    assert (entry.target, entry.partner_id, entry.ip_address) == (sam, sam.partner_id, "10.1.2.3")
    client.logout()
    client.post("/login/", {"username": "nobody@contoso.example", "password": "wrong-wrong"})
    assert AuditEntry.objects.count() == 1
    # A customer admin's sign-in is an entry of no partner (operators read it in the admin).
    client.post("/admin-center/login/", {"username": acme_admin.email, "password": PASSWORD})
    assert AuditEntry.objects.filter(partner__isnull=False).count() == 1
    assert AuditEntry.objects.get(target=acme_admin).partner_id is None


@pytest.mark.parametrize("action", ACTIONS)
def test_a_customer_admin_an_operator_and_a_visitor_cannot_act_on_agents(
    client, acme_admin, operator, sam, action
):
    url = reverse(f"agents:{action}", args=[sam.pk])
    anonymous = client.post(url, {"role": Role.ADMIN_AGENT})
    assert anonymous.status_code == 302 and anonymous.url.startswith("/login/")
    for user in (acme_admin, operator):
        client.force_login(user)
        assert client.post(url, {"role": Role.ADMIN_AGENT}).status_code == 403
    sam.refresh_from_db()
    assert sam.role == Role.SALES_AGENT and sam.is_active


def test_an_unknown_agent_is_404(client, alice):
    client.force_login(alice)
    assert client.get(reverse("agents:detail", args=[999999])).status_code == 404
    assert client.post(reverse("agents:deactivate", args=[999999])).status_code == 404
