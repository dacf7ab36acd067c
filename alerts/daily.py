"""The alerts that come with the date rather than a write: invitations lapsing within three
days or lapsed since yesterday, versions requiring re-acceptance published, campaign deadlines
14 and 3 days away, and the digests. ``manage.py daily_alerts`` enqueues ``run_day`` once a
day; each alert's key makes a second run (or a recovered one) tell nobody twice."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from agreements.validators import portal_today
from alerts.models import Event
from alerts.services import Message, agents_of, notify, send_digests
from alerts.webhooks import Resource, emit, prune
from campaigns.selectors import campaign_versions
from customers.models import AgreementStatus, Relationship
from invitations.models import OPEN_STATUSES, Invitation
from portal.models import Partner, User

LAPSING_DAYS = 3
DEADLINE_NOTICES = (14, 3)
# A version published up to this many days ago is still news (a missed run catches up).
PUBLISHED_WITHIN = 7


def _invitations(now: datetime.datetime) -> int:
    told = 0
    open_ones = Invitation.objects.filter(
        status__in=OPEN_STATUSES, replaced_by__isnull=True
    ).select_related("customer")
    lapsing = open_ones.filter(
        expires_at__gt=now, expires_at__lte=now + datetime.timedelta(days=LAPSING_DAYS)
    )
    for invitation in lapsing.iterator():
        with transaction.atomic():
            told += notify(
                event=Event.INVITATION_LAPSING,
                key=f"lapsing:{invitation.pk}",
                recipients=agents_of([invitation.partner_id]),
                compose=_lapsing(invitation),
            )
            emit(
                event=Event.INVITATION_LAPSING,
                key=f"lapsing:{invitation.pk}",
                partner_ids=[invitation.partner_id],
                resource=_invitation_resource(invitation),
            )
    lapsed = open_ones.filter(expires_at__lte=now, expires_at__gt=now - datetime.timedelta(days=2))
    for invitation in lapsed.iterator():
        with transaction.atomic():
            told += notify(
                event=Event.INVITATION_LAPSED,
                key=f"lapsed:{invitation.pk}",
                recipients=agents_of([invitation.partner_id]),
                compose=_lapsed(invitation),
            )
            emit(
                event=Event.INVITATION_LAPSED,
                key=f"lapsed:{invitation.pk}",
                partner_ids=[invitation.partner_id],
                resource=_invitation_resource(invitation),
            )
    return told


def _invitation_resource(invitation: Invitation) -> Resource:
    customer = invitation.customer
    return Resource(
        "Customer",
        reverse("api:customer", args=[customer.tenant_id]),
        {
            "CustomerTenantId": str(customer.tenant_id),
            "InvitationExpiresUtcDate": invitation.expires_at.astimezone(datetime.UTC).isoformat(),
        },
    )


def _version_resource(version, **data) -> Resource:
    return Resource(
        "AgreementTemplate",
        reverse("api:agreements") + "?agreementType=MicrosoftCustomerAgreement",
        {
            "TemplateId": str(version.template_id),
            "VersionRank": version.version_rank,
            "ReacceptanceDeadline": version.reacceptance_deadline.isoformat()
            if version.reacceptance_deadline
            else None,
            **data,
        },
    )


def _lapsing(invitation: Invitation):
    def compose() -> Message:
        names = {
            "customer": invitation.customer.company_name,
            "when": date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT"),
        }
        return Message(
            _("The invitation of %(customer)s lapses soon") % names,
            _(
                "The invitation of %(customer)s to accept the Microsoft Customer Agreement "
                "lapses on %(when)s. Remind the customer, or resend it."
            )
            % names,
            reverse("customers:detail", args=[invitation.customer.tenant_id]),
        )

    return compose


def _lapsed(invitation: Invitation):
    def compose() -> Message:
        names = {"customer": invitation.customer.company_name}
        return Message(
            _("The invitation of %(customer)s lapsed") % names,
            _(
                "The invitation of %(customer)s to accept the Microsoft Customer Agreement "
                "lapsed unanswered. Resend it, or attest if the customer accepted."
            )
            % names,
            reverse("customers:detail", args=[invitation.customer.tenant_id]),
        )

    return compose


def _versions(today: datetime.date) -> int:
    recent = campaign_versions(today).filter(
        published_on__gt=today - datetime.timedelta(days=PUBLISHED_WITHIN)
    )
    agents = list(
        User.objects.filter(partner__isnull=False, is_active=True).select_related("partner")
    )
    return sum(announce_version(version, agents) for version in recent)


def announce_version(version, agents: list[User] | None = None) -> int:
    """Tell every agent (and every subscribed webhook) that ``version``, which requires
    re-acceptance, was published; once per version however often it is called."""
    if agents is None:
        agents = list(
            User.objects.filter(partner__isnull=False, is_active=True).select_related("partner")
        )

    def compose() -> Message:
        names = {
            "version": version.version_rank,
            "deadline": date_format(version.reacceptance_deadline, "DATE_FORMAT"),
        }
        return Message(
            _("Version %(version)s of the MCA requires re-acceptance") % names,
            _(
                "Version %(version)s of the Microsoft Customer Agreement was published and "
                "requires customers who accepted an earlier version to accept again by "
                "%(deadline)s. The campaign page shows which of your customers must."
            )
            % names,
            reverse("campaigns:detail", args=[version.template_id]),
        )

    with transaction.atomic():
        told = notify(
            event=Event.VERSION_PUBLISHED,
            key=f"published:{version.pk}",
            recipients=agents,
            compose=compose,
        )
        emit(
            event=Event.VERSION_PUBLISHED,
            key=f"published:{version.pk}",
            partner_ids=None,
            resource=_version_resource(version),
        )
    return told


def _deadlines(today: datetime.date) -> int:
    told = 0
    for version in campaign_versions(today):
        if version.reacceptance_deadline is None:
            continue
        days = (version.reacceptance_deadline - today).days
        if days not in DEADLINE_NOTICES:
            continue
        # Partners with customers still due (or blocked) in the version's countries.
        countries = version.documents.values("country")
        partner_ids = set(
            Relationship.objects.filter(
                agreement_status__in=[AgreementStatus.DUE, AgreementStatus.BLOCKED],
                customer_country__in=countries,
            )
            .values_list("partner_id", flat=True)
            .distinct()
        )
        # A provider runs its resellers' campaigns too.
        partner_ids |= set(
            Partner.objects.filter(pk__in=partner_ids, provider__isnull=False).values_list(
                "provider_id", flat=True
            )
        )

        def compose(version=version, days=days) -> Message:
            names = {
                "version": version.version_rank,
                "days": days,
                "deadline": date_format(version.reacceptance_deadline, "DATE_FORMAT"),
            }
            return Message(
                _("%(days)s days left to renew acceptance of version %(version)s") % names,
                _(
                    "Customers who haven't accepted version %(version)s of the Microsoft "
                    "Customer Agreement by %(deadline)s can't place new orders after it. The "
                    "campaign page lists those still to renew."
                )
                % names,
                reverse("campaigns:detail", args=[version.template_id]),
            )

        with transaction.atomic():
            told += notify(
                event=Event.CAMPAIGN_DEADLINE,
                key=f"deadline:{version.pk}:{days}",
                recipients=agents_of(sorted(partner_ids)),
                compose=compose,
            )
            emit(
                event=Event.CAMPAIGN_DEADLINE,
                key=f"deadline:{version.pk}:{days}",
                partner_ids=partner_ids,
                resource=_version_resource(version, DaysLeft=days),
            )
    return told


def run(now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    today = portal_today()
    return {
        "invitations": _invitations(now),
        "versions": _versions(today),
        "deadlines": _deadlines(today),
        "digests": send_digests(now),
        "webhook_records_pruned": prune(now),
    }


@task()
def run_day() -> None:
    run()
