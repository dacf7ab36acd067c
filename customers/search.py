"""Finding a customer by any part of what a partner knows about it.

Both sides of a search are *folded* in Python (case, diacritics and compatibility forms
removed), so "horak" finds "Horák" on SQLite and PostgreSQL alike: ``Customer.search_text``
is the folded name, domain, contact name and email, and each of the customer's relationships
keeps a copy (``Relationship.search_text``, kept by both models' save), so that a partner's
search reads one table. A search is a ``LIKE '%word%'`` per word over it; on PostgreSQL a
trigram GIN index on the copy (customers migration 0009) answers those LIKEs; SQLite scans.
A tenant ID is found by its beginning, through the customers' unique index.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence

from django.db.models import F, Lookup, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

# Letters that Unicode does not decompose into a base letter and a mark.
UNDECOMPOSED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŀ": "l", "æ": "ae", "œ": "oe"}
)
# Fields are joined with a line break, which no search box can send, so a word never
# matches across the end of one field and the start of the next.
FIELD_SEPARATOR = "\n"
# A query's words beyond these are ignored (each is one more condition on the index).
MAX_WORDS = 8
# A tenant-ID prefix needs this many hex digits: fewer would match random tenants.
TENANT_PREFIX_MIN_DIGITS = 6
TENANT_ID_PREFIX = re.compile(r"[0-9a-f-]+")


def fold(text: str) -> str:
    """Lower-case, without diacritics and with single spaces: the form both sides compare."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.translate(UNDECOMPOSED).split())


def searchable(parts: Iterable[str]) -> str:
    return FIELD_SEPARATOR.join(fold(part) for part in parts)


def tenant_id_range(query: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    """The tenant IDs that start with ``query`` (dashes optional), or None if it can't be one."""
    query = query.strip().lower()
    if not TENANT_ID_PREFIX.fullmatch(query):
        return None
    digits = query.replace("-", "")
    if not TENANT_PREFIX_MIN_DIGITS <= len(digits) <= 32:
        return None
    return uuid.UUID(digits.ljust(32, "0")), uuid.UUID(digits.ljust(32, "f"))


def words(query: str) -> list[str]:
    return fold(query).split()[:MAX_WORDS]


def indexed(query: str) -> bool:
    """Whether the trigram index can narrow this search: a word of three characters or more."""
    return any(len(word) >= 3 for word in words(query))


# A word's runs of letters and digits: what the trigram index holds of it.
RUNS = re.compile(r"[^\W_]+")


def word_condition(word: str) -> Q:
    """Relationships whose search text holds ``word`` (folded).

    A word with punctuation in it (an email, a hyphenated name) is looked up in the trigram
    index by its runs of letters and digits, and held to the whole word by a test the index
    doesn't take (STRPOS, SQLite's INSTR). The index's trigrams for a run's ends beside the
    punctuation ("na " of "jana.", " dv" of ".dvorakova") are in most names: with them the
    index read twice as long for "jana.dvorakova" (18 → 8 ms at a million customers), for the
    same matches.
    """
    runs = [run for run in RUNS.findall(word) if len(run) >= 3]
    if not runs or runs == [word]:
        return Q(search_text__contains=word)
    condition = Q()
    for run in runs:
        condition &= Q(search_text__contains=run)
    return condition & holding(word)


def holding(word: str) -> Q:
    """Relationships whose search text holds ``word`` (folded), tested row by row: STRPOS
    (SQLite's INSTR), which no index takes and which has no wildcards."""
    return Q(GreaterThan(StrIndex("search_text", Value(word)), 0))


class Like(Lookup):
    """``lhs LIKE rhs``, the pattern as given (customers.search.trigram_patterns: letters and
    digits and wildcards, nothing to escape). Not registered as a lookup."""

    lookup_name = "like"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *rhs_params]


def trigram_patterns(words: Sequence[str], trigrams: Iterable[str]) -> list[str]:
    """LIKE patterns that make the trigram index look up ``trigrams`` (each of some word's),
    one a word: each trigram where it first occurs in the first word that has it, in the
    word's order with a wildcard between ("%aut%rvi%" for "autoservis"), trigrams that
    overlap as the letters they span ("%zele%"). A text holding the word matches its pattern;
    one pattern, not one a trigram, because the planner estimates each LIKE from the search
    text's whole histogram (half a millisecond a LIKE at 1,001 texts)."""
    wanted = set(trigrams)
    patterns = []
    for word in words:
        spans: list[tuple[int, int]] = []
        for start in range(len(word) - 2):
            if word[start : start + 3] in wanted:
                wanted.discard(word[start : start + 3])
                if spans and start < spans[-1][1]:
                    spans[-1] = (spans[-1][0], start + 3)
                else:
                    spans.append((start, start + 3))
        if spans:
            patterns.append("%" + "%".join(word[start:end] for start, end in spans) + "%")
    return patterns


def matching(
    query: str, customer_ids: Iterable[int] = (), trigrams: Sequence[str] = ()
) -> Q | None:
    """Relationships whose customer's searched fields hold every word of ``query`` (each
    anywhere in any of them), or whose customer is one of ``customer_ids`` (those whose
    tenant ID starts with the query); None when there is nothing to search for.

    The customers come as ids, not a subquery, so that on PostgreSQL the OR is two index
    scans (trigram and customer_id) rather than a filter over every row.

    ``trigrams``, when given, are what the index is asked for (customers.trigrams: a few of
    the words' rarest), each word then held to the whole of it by a test the index doesn't
    take; the same rows.
    """
    if not (terms := words(query)):
        return None
    condition = Q()
    if trigrams:
        for pattern in trigram_patterns(terms, trigrams):
            # The pattern as a value the planner can't see (an uncorrelated subquery, run
            # once): what to expect is reckoned already (customers.trigrams), and estimating
            # it from the search text's 1,001-entry histogram took nine tenths of the
            # statement's planning. The trigram index takes it as it takes a constant.
            condition &= Q(Like(F("search_text"), RawSQL("SELECT %s", [pattern])))
        for word in terms:
            condition &= holding(word)
    else:
        for word in terms:
            condition &= word_condition(word)
    if ids := list(customer_ids):
        condition |= Q(customer_id__in=ids)
    return condition
