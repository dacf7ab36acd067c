"""The REST API under /v1/, in Partner Center's paths (no trailing slashes).

Also the one table of how the API answers domain exceptions: the apps raise them, portal's
exception handler answers them, and only this composition root may name both.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from agreements import api as agreements_api
from agreements.services import AttestationNotAllowed, DuplicateAttestation
from bulk import api as bulk_api
from customers import api as customers_api
from customers.services import DetailsChanged
from invitations import api as invitations_api
from orders import api as orders_api
from orders.services import OrderBlocked
from portal.api.errors import register_domain_errors
from portal.api.views import NotFoundView
from signing import api as signing_api
from signing.services import SigningAlreadyOpen, SigningError, SigningNotAccepted, SigningNotOpen

# Domain exception → (HTTP status, Partner Center's error code[, its description]).
DOMAIN_ERRORS = {
    # PartnerConfirmedAgreementAlreadyExists: the same contact and date as the latest record.
    DuplicateAttestation: (409, 600061, agreements_api.already_exists_description),
    # R3: an indirect reseller never attests.
    AttestationNotAllowed: (403, 900123),
    # R5: the order gate refused; no new order before the agreement is accepted.
    OrderBlocked: (403, 13605, orders_api.gate_refusal_description),
    # Enhanced attestation (signing links): an open request for the same customer and
    # signatory exists; the request is no longer open; the signatory hasn't accepted (for
    # POST …/agreements with its attestationId); any other refusal of the input.
    SigningAlreadyOpen: (409, 600062, signing_api.already_open_data),
    SigningNotOpen: (409, 600063),
    SigningNotAccepted: (409, 600064),
    SigningError: (400, 800002),
    # PUT …/profiles/billing with an etag of details that changed since: Partner Center's
    # answer to an If-Match that no longer matches (412 Precondition Failed).
    DetailsChanged: (412, 412, customers_api.stale_description),
}
# Django imports the root URLconf, and with it this one, before it resolves any request.
register_domain_errors(DOMAIN_ERRORS)

app_name = "api"

urlpatterns = [
    path("bulkattestations", bulk_api.BulkAttestations.as_view(), name="bulk-attestations"),
    path(
        "bulkattestations/<uuid:job_id>",
        bulk_api.BulkAttestationDetail.as_view(),
        name="bulk-attestation",
    ),
    path(
        "bulkattestations/<uuid:job_id>/results",
        bulk_api.BulkAttestationResults.as_view(),
        name="bulk-attestation-results",
    ),
    path("agreements", agreements_api.AgreementList.as_view(), name="agreements"),
    path(
        "agreementtemplates/<uuid:template_id>/document",
        agreements_api.AgreementTemplateDocument.as_view(),
        name="agreement-document",
    ),
    path(
        "agreementdocuments/<str:signature>",
        agreements_api.AgreementDocumentDownload.as_view(),
        name="agreement-download",
    ),
    path("customers", customers_api.CustomerList.as_view(), name="customers"),
    path(
        "customers/relationshiprequests",
        invitations_api.RelationshipRequest.as_view(),
        name="relationship-request",
    ),
    path("customers/<uuid:tenant_id>", customers_api.CustomerDetail.as_view(), name="customer"),
    path(
        "customers/<uuid:tenant_id>/profiles/billing",
        customers_api.CustomerBillingProfile.as_view(),
        name="customer-billing-profile",
    ),
    path(
        "customers/<uuid:tenant_id>/agreements",
        agreements_api.CustomerAgreements.as_view(),
        name="customer-agreements",
    ),
    path(
        "customers/<uuid:tenant_id>/agreements/<uuid:record_id>/receipt",
        agreements_api.AgreementReceipt.as_view(),
        name="customer-agreement-receipt",
    ),
    path(
        "evidence/checkpoints/latest",
        agreements_api.LatestCheckpoint.as_view(),
        name="evidence-checkpoint-latest",
    ),
    path(
        "customers/<uuid:tenant_id>/directSignedMicrosoftCustomerAgreementStatus",
        agreements_api.DirectSignedStatus.as_view(),
        name="customer-direct-signed-status",
    ),
    path(
        "partners/customeragreementrecords",
        agreements_api.CustomerAgreementRecords.as_view(),
        name="customer-agreement-records",
    ),
    path(
        "attestations/enhanced",
        signing_api.EnhancedAttestations.as_view(),
        name="enhanced-attestations",
    ),
    path(
        "attestations/enhanced/<uuid:attestation_id>",
        signing_api.EnhancedAttestation.as_view(),
        name="enhanced-attestation",
    ),
    path("offers", orders_api.OfferList.as_view(), name="offers"),
    path(
        "customers/<uuid:tenant_id>/orders",
        orders_api.CustomerOrders.as_view(),
        name="customer-orders",
    ),
    path(
        "openapi.json",
        login_not_required(
            SpectacularJSONAPIView.as_view(
                authentication_classes=[], permission_classes=[AllowAny], schema=None
            )
        ),
        name="schema",
    ),
    path(
        "docs/",
        login_not_required(
            SpectacularSwaggerView.as_view(
                url_name="api:schema", authentication_classes=[], permission_classes=[AllowAny]
            )
        ),
        name="docs",
    ),
    # [\s\S], not ".": a path with a (percent-encoded) newline is still under /v1/, and JSON.
    re_path(r"^[\s\S]*$", NotFoundView.as_view(), name="not-found"),
]
