"""The API clients of the personas serve these tests too."""

from tests.api.conftest import anonymous_api, api_as  # noqa: F401
