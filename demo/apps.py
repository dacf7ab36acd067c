from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo world, loaded through the same services as the real flows (the top of the ladder)."""

    name = "demo"
