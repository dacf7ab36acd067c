"""The Czech catalogue is complete: nothing untranslated, nothing fuzzy, nothing missing."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted((ROOT / "locale" / "cs" / "LC_MESSAGES").glob("*.po"))
# Every app of ours (a folder with an apps.py), and what they share.
SOURCES = [
    *sorted(path.parent.name for path in ROOT.glob("*/apps.py")),
    "templates",
    "static",
    "locale",
]


def test_there_is_a_czech_catalogue():
    assert any(path.name == "django.po" for path in CATALOGUES)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_every_czech_entry_is_translated_and_not_fuzzy(path):
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path.name}: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy in {path.name}: {fuzzy[:20]}"


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed"
)
def test_the_catalogue_holds_every_marked_string(tmp_path):
    copy = tmp_path / "src"
    copy.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.exists():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("vendor", "*.mo"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "cs", "--no-location", "--no-obsolete"],
        cwd=copy,
        # The copy holds the portal, not the suite's tests/settings.py.
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale" / "cs" / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in fresh if not entry.obsolete and not entry.translated()]
    assert not missing, f"strings marked for translation but not in Czech: {missing[:20]}"


def test_django_validation_messages_are_czech_too():
    """Django's own catalogue lacks the newer wording of the password length error."""
    from django.contrib.auth.password_validation import MinimumLengthValidator
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("cs"):
        try:
            MinimumLengthValidator(min_length=12).validate("short")
        except ValidationError as error:
            message = error.messages[0]
    assert message == "Heslo je příliš krátké. Musí mít délku aspoň 12 znaků."
