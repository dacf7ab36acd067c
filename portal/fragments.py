"""Pages that one app shows and the apps above it fill, without the page's app importing them.

A lower app owns the page (the dashboard in portal, Account info in customers) and keeps a
``Fragments`` registry; each higher app registers a builder from its ``AppConfig.ready()``.
A builder takes the request (and whatever the page passes, such as the relationship) and
returns a ``Fragment`` — the template to render and its context — or None to show nothing.
Each builder does its own bounded queries, so a page's query count doesn't grow with data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

Builder = Callable[..., "Fragment | None"]


@dataclass(frozen=True)
class Fragment:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


class Fragments:
    def __init__(self) -> None:
        self._builders: list[tuple[int, Builder]] = []

    def register(self, order: int) -> Callable[[Builder], Builder]:
        """Add a builder; a lower ``order`` comes first. Registering twice is a no-op."""

        def decorator(builder: Builder) -> Builder:
            if all(existing is not builder for _order, existing in self._builders):
                self._builders.append((order, builder))
                self._builders.sort(key=lambda entry: entry[0])
            return builder

        return decorator

    def render(
        self, request: HttpRequest, *args: Any, context: dict[str, Any] | None = None
    ) -> list[SafeString]:
        """Each fragment rendered with the page's ``context`` under its own."""
        rendered = []
        for _order, builder in self._builders:
            fragment = builder(request, *args)
            if fragment is not None:
                merged = {**(context or {}), **fragment.context}
                rendered.append(render_to_string(fragment.template, merged, request))
        return rendered
