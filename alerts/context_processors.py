from portal import permissions


def notifications(request) -> dict:
    """The header's unread count: kept on the user row, which every request reads anyway."""
    user = getattr(request, "user", None)
    if user is None or not permissions.is_agent(user):
        return {}
    return {"shows_notifications": True, "unread_notifications": user.unread_notifications}
