"""What invitations tells the apps above it (alerts), without importing them."""

from django.dispatch import Signal

# An invitation was found blocked (R6, D1/D2): sent with ``invitation``, in the transaction
# that marks it.
invitation_blocked = Signal()

# The customer admin declined an invitation in the admin center: sent with ``invitation``
# (its reason in ``decline_reason``), in the transaction that marks it.
invitation_declined = Signal()
