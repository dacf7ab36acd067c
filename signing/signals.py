"""What signing tells the apps above it (alerts), without importing them."""

from django.dispatch import Signal

# The signatory declined a signing link: sent with ``signing_request`` (its reason in
# ``decline_reason``), in the transaction that marks it.
signing_declined = Signal()
