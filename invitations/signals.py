"""What invitations tells the apps above it (alerts), without importing them."""

from django.dispatch import Signal

# An invitation was found blocked (R6, D1/D2): sent with ``invitation``, in the transaction
# that marks it.
invitation_blocked = Signal()
