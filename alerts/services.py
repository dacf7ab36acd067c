"""Telling agents: one notification per event per agent, and for an agent who wants it at once,
one outbox email, both in the caller's transaction (portal.outbox sends after the commit; a
rollback takes both away). The event's key makes it once: told again, nothing more is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alerts.models import ROLE_DEFAULTS, AlertPreference, Delivery, Event, Notification
from portal import outbox
from portal.models import Partner, User


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    link: str = ""


# Builds the message in the active language (each recipient's).
Compose = Callable[[], Message]


def language_of(user: User) -> str:
    """The agent's language: Czech for a partner in Czechia, else English."""
    partner = user.partner
    return "cs" if partner is not None and partner.country == "CZ" else "en"


def deliveries(users: Iterable[User], event: str) -> dict[int, str]:
    """Each agent's choice for ``event``: its own, else its role's default. One query."""
    users = list(users)
    chosen = dict(
        AlertPreference.objects.filter(user__in=users, event=event).values_list(
            "user_id", "delivery"
        )
    )
    return {
        user.pk: chosen.get(user.pk, ROLE_DEFAULTS.get(user.role, Delivery.DIGEST))
        for user in users
    }


def agents_of(partners: Iterable[Partner | int]) -> list[User]:
    ids = [p.pk if isinstance(p, Partner) else p for p in partners]
    return list(
        User.objects.filter(partner_id__in=ids, is_active=True)
        .select_related("partner")
        .order_by("pk")
    )


def email_text(message: Message) -> str:
    link = f"\n\n{settings.PORTAL_BASE_URL}{message.link}" if message.link else ""
    return f"{message.body}{link}\n"


def _in_every_language(compose: Compose) -> dict[str, Message]:
    """The message composed once in each of the portal's languages: the page shows the one of
    its own language, whatever the language the agent's email goes in."""
    composed = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            composed[code] = compose()
    return composed


def notify(*, event: str, key: str, recipients: list[User], compose: Compose) -> int:
    """Tell ``recipients`` about one event, each as it chose; returns how many were told."""
    told = 0
    choices = deliveries(recipients, event)
    composed: dict[str, Message] | None = None
    for user in recipients:
        delivery = choices[user.pk]
        if delivery == Delivery.NONE:
            continue
        if composed is None:
            composed = _in_every_language(compose)
        language = language_of(user)
        message = composed[language]
        try:
            with transaction.atomic():
                Notification.objects.create(
                    recipient=user,
                    event=event,
                    key=key,
                    delivery=delivery,
                    title=message.title[:300],
                    body=message.body,
                    link=message.link,
                    texts={
                        code: {"title": each.title[:300], "body": each.body}
                        for code, each in composed.items()
                    },
                )
        except IntegrityError:
            continue  # told already
        User.objects.filter(pk=user.pk).update(
            unread_notifications=F("unread_notifications") + 1
        )
        if delivery == Delivery.IMMEDIATE:
            outbox.queue(
                dedupe_key=f"alert:{user.pk}:{key}",
                to=user.email,
                subject=message.title,
                body_text=email_text(message),
                language=language,
                partner_id=user.partner_id,
            )
        told += 1
    return told


def send_digests(now: datetime.datetime | None = None) -> int:
    """One email per agent with its digest notifications not yet sent, marked in the same
    transaction as the outbox row; returns how many digests were queued."""
    now = now or timezone.now()
    day = timezone.localdate(now).isoformat()
    waiting = (
        Notification.objects.filter(delivery=Delivery.DIGEST, digested_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for user in User.objects.filter(pk__in=list(waiting)).select_related("partner"):
        with transaction.atomic():
            items = list(
                Notification.objects.select_for_update()
                .filter(recipient=user, delivery=Delivery.DIGEST, digested_at__isnull=True)
                .order_by("created_at", "id")
            )
            if not items:
                continue
            language = language_of(user)
            with translation.override(language):
                subject = _("MCA Portal: your daily digest (%(count)s)") % {"count": len(items)}
                lines = [email_text(Message(item.title, item.body, item.link)) for item in items]
            outbox.queue(
                dedupe_key=f"digest:{user.pk}:{day}:{items[-1].pk}",
                to=user.email,
                subject=subject,
                body_text="\n".join(f"• {line}" for line in lines),
                language=language,
                partner_id=user.partner_id,
            )
            Notification.objects.filter(pk__in=[item.pk for item in items]).update(
                digested_at=now
            )
            sent += 1
    return sent


def mark_all_read(user: User) -> None:
    with transaction.atomic():
        Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        User.objects.filter(pk=user.pk).update(unread_notifications=0)


EVENTS = [value for value, _label in Event.choices]
