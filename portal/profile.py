"""A partner's profile: its contact details (email, phone, website), which its customers read on
the admin center's partner page. Its admin agents keep them (Partner profile), operators in the
admin; ``update_contact_details`` is the one writer, and every change is in the audit log."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from portal.audit import record_audit
from portal.fragments import Fragments
from portal.models import PROFILE_AUDITED_FIELDS, AuditAction, Partner, User

# Partner profile's further settings, each owned by an app above portal (the signing page's
# embedding, for one): builders take ``(request)`` and return a ``portal.fragments.Fragment``
# or None for a role that may not change it.
settings_sections = Fragments()

# What the partner may change about itself; its name, partner ID, kind and country are the
# operators' (onboarding), never a field of the profile page.
CONTACT_FIELDS = PROFILE_AUDITED_FIELDS


def _as_text(value: object) -> str:
    return "" if value is None else str(value)


@transaction.atomic
def update_contact_details(
    *,
    partner: Partner,
    by: User,
    values: dict[str, object],
    request: HttpRequest | None = None,
) -> list[str]:
    """Save the contact fields in ``values`` (others are ignored) and record each changed one
    in the partner's audit log (field name, old → new). The row is locked and read afresh, so the
    old value recorded is the one replaced when two admins save at once. Returns the names of
    the fields that changed, none when nothing differs.

    The values are validated by the model's own fields (``full_clean`` of the changed ones):
    a bad email, phone number or web address raises ValidationError and nothing is saved."""
    current = Partner.objects.select_for_update().get(pk=partner.pk)
    changed: list[str] = []
    before: dict[str, str] = {}
    for name in CONTACT_FIELDS:
        if name not in values:
            continue
        old = _as_text(getattr(current, name))
        setattr(current, name, values[name] if values[name] is not None else "")
        if _as_text(getattr(current, name)) != old:
            changed.append(name)
            before[name] = old
    if not changed:
        return []
    current.full_clean(
        exclude=[f.name for f in Partner._meta.fields if f.name not in changed],
        validate_unique=False,
        validate_constraints=False,
    )
    current.save(update_fields=changed)
    for name in changed:
        # The field's name, not its label: the log shows the label in the reader's language
        # (AuditEntry.target_display).
        record_audit(
            action=AuditAction.PROFILE_CHANGED,
            actor=by,
            partner=current,
            target_label=name,
            details=f"{before[name] or '—'} → {_as_text(getattr(current, name)) or '—'}",
            request=request,
        )
        setattr(partner, name, getattr(current, name))
    return changed
