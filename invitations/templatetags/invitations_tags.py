"""The invitation partials that the customer pages include, each with its own bounded query."""

from django import template

from invitations import services
from invitations.forms import ComposeForm
from invitations.models import Invitation, hash_token

register = template.Library()

PANEL_ROWS = 10


@register.inclusion_tag("invitations/_panel.html", takes_context=True)
def invitations_panel(context) -> dict:
    """Account info: this partner's invitations to this customer, newest first, one query."""
    customer = context["customer"]
    relationship = context["relationship"]
    user = context["user"]
    rows = list(
        Invitation.objects.filter(customer=customer, partner_id=relationship.partner_id)
        .select_related("customer")
        .order_by("-created_at", "-id")[: PANEL_ROWS + 1]
    )
    return {
        "customer": customer,
        "relationship": relationship,
        "user": user,
        "invitations": rows[:PANEL_ROWS],
        "more": len(rows) > PANEL_ROWS,
        "can_attest": context.get("can_attest", False),
        # Only the partner that sent an invitation acts on it (a provider only reads).
        "may_act": context.get("can_invite", False)
        and relationship.partner_id == user.partner_id,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("invitations/_new_customer_draft_body.html", takes_context=True)
def new_customer_draft(context) -> dict:
    """B1: the email draft with the link and the credentials, shown with them once."""
    link = context.get("invitation_link")
    token = services.token_from_link(link or "")
    invitation = None
    if token:
        invitation = (
            Invitation.objects.select_related("customer", "partner", "created_by")
            .filter(token_hash=hash_token(token), partner_id=context["user"].partner_id)
            .first()
        )
    if invitation is None:
        return {"invitation": None}
    email = services.compose_email(invitation, link, context.get("password"))
    return {
        "invitation": invitation,
        "email": email,
        "form": ComposeForm(initial={"subject": email.subject, "body": email.body}),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
