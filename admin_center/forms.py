"""The customer admin center's forms: accepting an invitation or a relationship, and the
first password change."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.core import signing
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from agreements.models import AgreementDocument

# The acceptance page names the document it showed in a signed hidden field (``document``):
# the record is of that exact document, never of one looked up again when Accept is pressed.
_shown_documents = signing.Signer(salt="admin_center.AcceptForm.document")


def shown_document_value(document: AgreementDocument) -> str:
    """The hidden field's value for the document the page shows: its id and SHA-256, signed."""
    return _shown_documents.sign(f"{document.pk}:{document.sha256}")


def shown_document(value: object) -> AgreementDocument | None:
    """The document a posted value names, or None when it isn't one this site signed (altered,
    missing) or the document is gone."""
    if not isinstance(value, str) or len(value) > 200:
        return None
    try:
        pk, sha256 = _shown_documents.unsign(value).split(":", 1)
    except (signing.BadSignature, ValueError):
        return None
    if not pk.isdigit():
        return None
    return (
        AgreementDocument.objects.select_related("template")
        .filter(pk=int(pk), sha256=sha256)
        .first()
    )


class AcceptForm(forms.Form):
    """Nothing is pre-ticked: the customer ticks each thing it agrees to. Accepting the
    agreement also needs the page's signed ``document`` (the template writes it from
    ``shown_document_value``): ``cleaned_data["document"]`` is the document shown."""

    accept_relationship = forms.BooleanField(required=False)
    accept_agreement = forms.BooleanField(required=False)

    def __init__(self, *args, invitation, block, **kwargs):
        super().__init__(*args, **kwargs)
        partner = invitation.partner.name
        self.fields["accept_relationship"].label = _(
            "I accept %(partner)s as our reseller (reseller relationship)."
        ) % {"partner": partner}
        self.fields["accept_agreement"].label = _(
            "I have read the Microsoft Customer Agreement and accept it on behalf of %(company)s"
        ) % {"company": invitation.customer.company_name}
        if block.blocked:
            del self.fields["accept_agreement"]
        else:
            self.fields["accept_agreement"].required = True
        if not invitation.asks_for_relationship or (
            block.blocked and not block.relationship_allowed
        ):
            del self.fields["accept_relationship"]
        else:
            self.fields["accept_relationship"].required = True
        for field in self.fields.values():
            field.error_messages["required"] = _("Tick this box to accept.")

    def clean(self):
        cleaned = super().clean() or {}
        if "accept_agreement" in self.fields:
            cleaned["document"] = shown_document(self.data.get("document"))
            if cleaned["document"] is None:
                raise forms.ValidationError(
                    _(
                        "This page could not tell which agreement you were shown. Nothing was "
                        "recorded: read the agreement below and accept it again."
                    ),
                    code="unknown_document",
                )
        return cleaned


class DeclineForm(forms.Form):
    """Saying no to a partner's request; the reason is optional and the partner reads it."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your partner sees what you write here."),
    )


class RelationshipRequestForm(forms.Form):
    """The partner's standing link asks for the reseller relationship alone; never pre-ticked."""

    accept_relationship = forms.BooleanField(
        required=True, error_messages={"required": _("Tick this box to accept.")}
    )

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_relationship"].label = _(
            "I accept %(partner)s as our reseller (reseller relationship)."
        ) % {"partner": partner.name}


class CustomerPasswordChangeForm(PasswordChangeForm):
    """The admin center's password change: the password the partner handed over (and may
    have emailed) can't be kept by typing it again as the new one."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "same_as_temporary": _(
            "Your partner knows the temporary password, so you can't keep it. "
            "Choose a different password."
        ),
        "same_as_current": _("Choose a password different from your current one."),
    }

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        if user.must_change_password:
            self.fields["old_password"].label = _("Temporary password")

    @sensitive_variables("password")
    def clean_new_password1(self) -> str:
        password = self.cleaned_data["new_password1"]
        if self.user.check_password(password):
            code = "same_as_temporary" if self.user.must_change_password else "same_as_current"
            raise forms.ValidationError(self.error_messages[code], code=code)
        return password
