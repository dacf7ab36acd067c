"""Which of a search's trigrams the trigram index is asked for, and how many matches to
expect of it.

For ``LIKE '%zelenina%'`` pg_trgm reads the index's entries for every trigram of the word
(zel, ele, len, eni, nin, ina) and keeps the rows that have them all. A common trigram ("len",
"ina", "ova" of every other Czech surname) has tens of thousands of entries, which cost more to
read than the rows they rule out: at a million customers "zelenina" read some 260,000 entries
to find 6,000 rows. So a search asks the index for the few trigrams of its words that rule out
most rows for the fewest entries (``Sample.looked_up``: "zel" and "eni"), and each word is
then held to the whole of it, on the rows found, by a test the index doesn't take (STRPOS;
customers.search.matching). The rows are the same: a text holding a word holds its trigrams.

How common a trigram is comes from PostgreSQL's own sample of the column: the 1,001 search
texts ANALYZE keeps as its histogram (customers migration 0013), the sample the planner
estimates a LIKE from. From the same sample, and the partner column's statistics, comes what
the planner would expect of a search alone (``Sample.expected``), which decides how its page
is found (customers.selectors.list_page) without a round trip to ask. Elsewhere (SQLite), or
before a table's first ANALYZE, there is no sample: a search is its words' LIKEs as written,
and the planner is asked.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections

from customers.models import Relationship
from customers.search import RUNS, trigram_patterns

# Fewer texts than this say too little of how common a trigram is.
MIN_SAMPLE = 100
# A row read and tested (heap and STRPOS) costs about as much as this many index entries read:
# "eni" alone (22,000 rows to read) took 48 ms, "zel" and "eni" (50,000 entries, 6,000 rows)
# 13 ms, all six trigrams of "zelenina" (260,000 entries) 25 ms.
ROW_COST = 40
# An estimate from the sample is never below this share, nor above all but it (PostgreSQL's
# clamp for a LIKE estimated from a histogram).
LEAST_SHARE = 0.0001
# How long a process keeps a sample before reading it again (ANALYZE changes it rarely).
SAMPLE_SECONDS = 3600.0


@dataclass(frozen=True)
class Partners:
    """How the relationships spread over partners, as PostgreSQL's statistics say: the
    table's rows, the commonest partners' shares, and the share of any other partner."""

    rows: float
    shares: dict[int, float]
    other_share: float

    def rows_of(self, partner_id: int) -> float:
        return self.rows * self.shares.get(partner_id, self.other_share)


class Sample:
    """Some of the customers' search texts (each a folded name, then domain, contact and
    email, a line each: customers.search.searchable): for each trigram in them, which hold it
    (a bit each; 30 ms for 1,001 texts, once a sample). With ``partners``, it says how many
    of a partner's relationships a search is expected to find, as the planner would."""

    def __init__(self, texts: Iterable[str], partners: Partners | None = None) -> None:
        self.texts = list(texts)
        self.partners = partners
        self.everyone = (1 << len(self.texts)) - 1
        self._holders: dict[str, int] = {}
        for index, text in enumerate(self.texts):
            bit = 1 << index
            for trigram in {text[start : start + 3] for start in range(len(text) - 2)}:
                self._holders[trigram] = self._holders.get(trigram, 0) | bit

    def holders(self, trigram: str) -> int:
        return self._holders.get(trigram, 0)

    def share(self, words: Sequence[str]) -> float:
        """The share of texts that hold every word (folded)."""
        candidates = self.everyone
        for trigram in _trigrams(words):
            candidates &= self.holders(trigram)
        return self._share(candidates, lambda text: all(word in text for word in words))

    def beginning_share(self, word: str) -> float:
        """The share of names (a text's first line) that begin with ``word`` (folded)."""
        candidates = self.holders(word[:3]) if len(word) >= 3 else self.everyone
        return self._share(candidates, lambda text: text.startswith(word))

    def _share(self, candidates: int, holds: Callable[[str], bool]) -> float:
        """The share of texts that hold, of those ``candidates`` says may (a bit each), never
        quite none nor all (as PostgreSQL clamps an estimate from its histogram)."""
        found = 0
        while candidates:
            lowest = candidates & -candidates
            candidates ^= lowest
            found += holds(self.texts[lowest.bit_length() - 1])
        return min(max(found / len(self.texts), LEAST_SHARE), 1 - LEAST_SHARE)

    def expected(self, partner_id: int, words: Sequence[str]) -> tuple[float, float] | None:
        """How many of a partner's relationships a search (its words, and nothing else) is
        expected to find, and how many of them have a name beginning with its longest word
        (customers.selectors.Walk.beginning): what the planner's EXPLAINs would say, without
        asking it. None without the partners' spread."""
        if self.partners is None or not words:
            return None
        rows = self.partners.rows_of(partner_id)
        return rows * self.share(words), rows * self.beginning_share(max(words, key=len))

    def looked_up(self, words: Sequence[str]) -> tuple[str, ...]:
        """The trigrams of ``words`` (folded) to ask the index for: added rarest first while
        the entries they cost buy fewer rows to read and test; at least one, so the index is
        used. Empty if no word has a trigram (a run of three letters or digits).

        What is reckoned is what the index will read: the trigrams of the patterns that ask
        for them (customers.search.trigram_patterns), where two that overlap by a letter bring
        the one between ("ele" and "eni" of "zelenina" are "%eleni%", "len" too)."""
        trigrams = sorted(_trigrams(words))
        chosen: list[str] = []
        cost = None
        while True:
            best = None
            for trigram in trigrams:
                if trigram in chosen:
                    continue
                after = self._cost([*chosen, trigram], words)
                if best is None or after < best[0]:
                    best = (after, trigram)
            if best is None or (cost is not None and best[0] >= cost):
                return tuple(chosen)
            cost, trigram = best
            chosen.append(trigram)

    def _cost(self, chosen: list[str], words: Sequence[str]) -> int:
        """The index's entries read, and the rows found (read and tested, ROW_COST each),
        when these trigrams are asked for: in sample texts."""
        read = _trigrams(
            piece for pattern in trigram_patterns(words, chosen) for piece in pattern.split("%")
        )
        rows, entries = self.everyone, 0
        for trigram in read:
            holders = self.holders(trigram)
            rows &= holders
            entries += holders.bit_count()
        return entries + ROW_COST * rows.bit_count()


def _trigrams(words: Iterable[str]) -> set[str]:
    """The trigrams pg_trgm takes from ``LIKE '%word%'``: those of each run of letters and
    digits."""
    return {
        run[start : start + 3]
        for word in words
        for run in RUNS.findall(word)
        for start in range(len(run) - 2)
    }


_samples: dict[str, tuple[float, Sample | None]] = {}


def sample(using: str = DEFAULT_DB_ALIAS) -> Sample | None:
    """The relationships' search texts PostgreSQL's statistics hold, and how the rows spread
    over partners, read at most every SAMPLE_SECONDS a process; None elsewhere or when there
    are too few texts."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    now = time.monotonic()
    if (kept := _samples.get(using)) is not None and now - kept[0] < SAMPLE_SECONDS:
        return kept[1]
    table = Relationship._meta.db_table
    partner = Relationship._meta.get_field("partner").column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, histogram_bounds::text::text[], most_common_vals::text::text[], "
            "most_common_freqs, n_distinct, null_frac "
            "FROM pg_stats WHERE schemaname = ANY (current_schemas(false)) "
            "AND tablename = %s AND attname IN ('search_text', %s)",
            [table, partner],
        )
        stats = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        (rows,) = cursor.fetchone()
    texts = [text for values in stats.get("search_text", ())[:2] for text in (values or ())]
    found = None
    if len(texts) >= MIN_SAMPLE:
        found = Sample(texts, _partners(rows, stats.get(partner)))
    _samples[using] = (now, found)
    return found


def _partners(rows: float, stats: tuple | None) -> Partners | None:
    """The partners' spread from the partner column's statistics, as the planner reckons a
    partner's share: its own if among the commonest, else an equal part of the rest."""
    if stats is None or rows <= 0:
        return None
    _histogram, commonest, frequencies, distinct, nulls = stats
    commonest, frequencies = commonest or [], frequencies or []
    shares = {int(value): float(share) for value, share in zip(commonest, frequencies, strict=True)}
    distinct = distinct if distinct >= 0 else -distinct * rows
    others = max(distinct - len(shares), 1)
    other_share = max(1 - sum(shares.values()) - (nulls or 0), 0) / others
    return Partners(rows=float(rows), shares=shares, other_share=other_share)


def forget() -> None:
    """Read the sample again next time (after an ANALYZE that changed it: tests)."""
    _samples.clear()


def keep(found: Sample | None, using: str = DEFAULT_DB_ALIAS) -> None:
    """Take ``found`` as the sample for the next SAMPLE_SECONDS, none read (tests)."""
    _samples[using] = (time.monotonic(), found)
