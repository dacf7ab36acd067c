"""The order gate's prompt (flow E) offers, beside attesting inline, what the apps above
orders add: builders take ``(request, relationship)`` and return a ``portal.fragments.Fragment``
shown under the inline attestation (signing: send the signatory a signing link instead)."""

from portal.fragments import Fragments

review_prompts = Fragments()
register = review_prompts.register

__all__ = ["register", "review_prompts"]
