"""The colour of an agreement status badge, in one place for every page that shows one."""

from django import template

from customers.models import AgreementStatus

register = template.Library()

BADGES = {
    AgreementStatus.ATTESTED: "text-bg-success",
    AgreementStatus.ACCEPTED: "text-bg-success",
    AgreementStatus.INVITED: "text-bg-info",
    AgreementStatus.BLOCKED: "text-bg-danger",
    AgreementStatus.DUE: "text-bg-warning",
}


@register.filter
def agreement_badge(status: str) -> str:
    return BADGES.get(status, "text-bg-secondary")  # type: ignore[call-overload]
