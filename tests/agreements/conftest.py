"""The API clients of the personas serve these tests too."""

from tests.api.conftest import api_as  # noqa: F401
