"""Shared by the agents page's and password reset's tests."""

from __future__ import annotations

import re

from django.core import mail

LINK = re.compile(r"http://\S+/(?:password-reset|admin-center/password-reset)/\S+/")


def link_in_last_email(to: str) -> str:
    """The path of the link in the last email sent to ``to``."""
    message = [m for m in mail.outbox if m.to == [to]][-1]
    url = LINK.search(message.body).group(0)
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def lock_out(client, email: str, times: int = 5) -> None:
    for _ in range(times):
        client.post("/login/", {"username": email, "password": "wrong-wrong-wrong"})
