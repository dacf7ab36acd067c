"""Messages Django shows that its own Czech catalogue lacks, so makemessages puts them in ours.

Django 5.2's password length error changed its wording (``%d`` instead of ``%(min_length)d``)
and its Czech translation wasn't updated with it; without this, the error is English on a
Czech page. Nothing imports this module: it exists to be read by makemessages.
"""

from django.utils.translation import ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
