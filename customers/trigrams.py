"""Which of a search's trigrams the trigram index is asked for.

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
estimates a LIKE from. Elsewhere (SQLite), or before a table's first ANALYZE, there is no
sample, and a search is its words' LIKEs as written.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connections

from customers.models import Relationship
from customers.search import RUNS

# Fewer texts than this say too little of how common a trigram is.
MIN_SAMPLE = 100
# A row read and tested (heap and STRPOS) costs about as much as this many index entries read:
# "eni" alone (22,000 rows to read) took 48 ms, "zel" and "eni" (50,000 entries, 6,000 rows)
# 13 ms, all six trigrams of "zelenina" (260,000 entries) 25 ms.
ROW_COST = 40
# How long a process keeps a sample before reading it again (ANALYZE changes it rarely).
SAMPLE_SECONDS = 3600.0


class Sample:
    """Some of the customers' search texts: for each trigram in them, which hold it (a bit
    each; 30 ms for 1,001 texts, once a sample)."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.everyone = 0
        self._holders: dict[str, int] = {}
        for index, text in enumerate(texts):
            bit = 1 << index
            self.everyone |= bit
            for trigram in {text[start : start + 3] for start in range(len(text) - 2)}:
                self._holders[trigram] = self._holders.get(trigram, 0) | bit

    def holders(self, trigram: str) -> int:
        return self._holders.get(trigram, 0)

    def looked_up(self, words: Iterable[str]) -> tuple[str, ...]:
        """The trigrams of ``words`` (folded) to ask the index for: added rarest first while
        the entries each costs buy fewer rows to read and test; at least one, so the index is
        used. None if no word has a trigram (a run of three letters or digits)."""
        trigrams = sorted(
            {
                run[start : start + 3]
                for word in words
                for run in RUNS.findall(word)
                for start in range(len(run) - 2)
            }
        )
        chosen: list[str] = []
        rows, entries, cost = self.everyone, 0, None
        while True:
            best = None
            for trigram in trigrams:
                if trigram in chosen:
                    continue
                holders = self.holders(trigram)
                after = entries + holders.bit_count() + ROW_COST * (rows & holders).bit_count()
                if best is None or after < best[0]:
                    best = (after, trigram, holders)
            if best is None or (cost is not None and best[0] >= cost):
                return tuple(chosen)
            cost, trigram, holders = best
            chosen.append(trigram)
            rows &= holders
            entries += holders.bit_count()


_samples: dict[str, tuple[float, Sample | None]] = {}


def sample(using: str = DEFAULT_DB_ALIAS) -> Sample | None:
    """The relationships' search texts PostgreSQL's statistics hold, read at most every
    SAMPLE_SECONDS a process; None elsewhere or when there are too few."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    now = time.monotonic()
    if (kept := _samples.get(using)) is not None and now - kept[0] < SAMPLE_SECONDS:
        return kept[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT histogram_bounds::text::text[], most_common_vals::text::text[] "
            "FROM pg_stats WHERE schemaname = ANY (current_schemas(false)) "
            "AND tablename = %s AND attname = %s",
            [Relationship._meta.db_table, "search_text"],
        )
        row = cursor.fetchone()
    texts = [text for values in (row or ()) for text in (values or ())]
    found = Sample(texts) if len(texts) >= MIN_SAMPLE else None
    _samples[using] = (now, found)
    return found


def forget() -> None:
    """Read the sample again next time (after an ANALYZE that changed it: tests)."""
    _samples.clear()
