"""Agreement versions with real publication dates, for the tests of "published as of".

The suite's template_cz (published 2020-01-01) is v1 here; ``publish_after`` adds the next
version with its own Czech document, whose text names the version so a test can tell which
file it was served.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.core.files.base import ContentFile

from agreements.models import AgreementDocument, AgreementTemplate

PRAGUE = zoneinfo.ZoneInfo("Europe/Prague")

V2_PUBLISHED = datetime.date(2026, 9, 1)
V3_PUBLISHED = datetime.date(2027, 1, 1)
# Noon on the eve of v3's publication, and half past midnight on its day: in UTC that is
# still 31 December, so only the portal's time zone makes v3 count.
EVE_OF_V3 = datetime.datetime(2026, 12, 31, 12, 0, tzinfo=PRAGUE)
V3_DAY = datetime.datetime(2027, 1, 1, 0, 30, tzinfo=PRAGUE)


def publish_after(
    previous: AgreementTemplate,
    published_on: datetime.date,
    countries: tuple[str, ...] = ("CZ",),
) -> AgreementTemplate:
    template = AgreementTemplate.objects.create(
        version_rank=previous.version_rank + 1,
        title="Microsoft Customer Agreement",
        published_on=published_on,
    )
    for country in countries:
        AgreementDocument.objects.create(
            template=template,
            country=country,
            language="cs-CZ" if country == "CZ" else "en-US",
            content_type="text/plain; charset=utf-8",
            file=ContentFile(
                f"Agreement text, version {template.version_rank}, {country}.\n".encode(),
                name="mca.txt",
            ),
        )
    return template


def text_of(version: AgreementTemplate) -> str:
    """What the document of ``version`` for Czechia says (see publish_after)."""
    return f"Agreement text, version {version.version_rank}, CZ."
