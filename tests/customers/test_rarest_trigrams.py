"""A search asks the trigram index for a few of its words' rarest trigrams, chosen by how
common each is in PostgreSQL's sample of the search texts (customers.trigrams), and tests each
word whole on the rows found: the same rows as the words' own LIKEs, found reading fewer of
the index's entries.

The choice is tested on made-up samples; the rows on SQLite and PostgreSQL alike; the sample's
reading, the page's query and its plan on PostgreSQL."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers import trigrams
from customers.filters import tenant_customers
from customers.models import Customer, Relationship
from customers.search import matching, trigram_patterns, words
from customers.trigrams import Partners, Sample
from tests import factories as f
from tests.customers.listing import URL, customer_of, names

on_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL: its statistics sample and the trigram index exist only there",
)


def vegetables(rare: int = 6) -> Sample:
    """A thousand texts like a Czech market's: "len" and "ina" in a third of them each, "zel",
    "ele" and "eni" in a few (the Zelenina shops)."""
    texts = [f"zelenina {number}" for number in range(rare)]
    texts += [f"lenka {number}" for number in range(330)]
    texts += [f"malina {number}" for number in range(330)]
    texts += [f"pekarna {number}" for number in range(1000 - len(texts))]
    return Sample(texts)


def test_the_rarest_trigrams_are_asked_for_not_the_common_ones():
    asked = vegetables().looked_up(["zelenina"])
    assert asked
    assert set(asked) <= {"zel", "ele", "eni", "nin"}


def test_a_trigram_the_sample_lacks_is_asked_for_alone():
    """Not in a thousand texts: rarer than any other, and nothing it leaves is worth more
    entries."""
    assert vegetables().looked_up(["zelenina", "qxw"]) == ("qxw",)


def test_another_trigram_is_added_while_it_rules_out_more_rows_than_it_costs():
    """Each trigram of "abcdef" is in 305 texts, but "abc" and "def" together only in the 5
    that hold the word: the second is worth its entries, a third no longer is. ("cde" would
    rule out as many, but asked for beside "abc" it brings "bcd": "%abcde%".)"""
    sample = Sample(
        [
            *(f"abcd {number}" for number in range(300)),
            *(f"cdef {number}" for number in range(300)),
            *(f"abcdef {number}" for number in range(5)),
            *(f"filler {number}" for number in range(395)),
        ]
    )
    assert sample.looked_up(["abcdef"]) == ("abc", "def")


def test_one_rare_trigram_is_enough_when_the_others_rule_out_nothing_more():
    """ "bcd" and "cde" are in the same 5 texts: the second would cost entries for no row."""
    sample = Sample([*(f"abcdef {number}" for number in range(5)), *["filler"] * 995])
    assert sample.looked_up(["bcde"]) == ("bcd",)


def test_trigrams_that_would_bring_a_common_one_between_them_are_not_asked_together():
    """ "ele" and "eni" are "%eleni%" to the index, which reads the common "len" too: "zel"
    and "eni" rule out as much for fewer entries."""
    sample = Sample(
        [
            *(f"zelenina {number}" for number in range(6)),
            *(f"zelva {number}" for number in range(20)),
            *(f"ele {number}" for number in range(20)),
            *(f"genius {number}" for number in range(12)),
            *(f"lenka {number}" for number in range(330)),
            *(f"nina {number}" for number in range(100)),
            *["pekarna"] * 512,
        ]
    )
    assert set(sample.looked_up(["zelenina"])) == {"zel", "eni"}


def test_a_trigram_never_spans_punctuation_or_a_space():
    asked = vegetables().looked_up(["jana.dvorakova", "a-b", "x y"])
    assert asked
    for trigram in asked:
        assert re.fullmatch(r"\w{3}", trigram), trigram


@pytest.mark.parametrize(
    ("terms", "asked", "patterns"),
    [
        # In the word's order, a wildcard between: one LIKE, both trigrams for the index.
        (["autoservis"], ["rvi", "aut"], ["%aut%rvi%"]),
        # Overlapping, as the letters they span; side by side, still apart.
        (["zelenina"], ["zel", "ele"], ["%zele%"]),
        (["zelenina"], ["zel", "len"], ["%zelen%"]),
        (["zelenina"], ["zel", "eni"], ["%zel%eni%"]),
        # Across a word's punctuation; a pattern a word, each trigram once, where first met.
        (["jana.dvorakova"], ["rak", "jan", "dvo"], ["%jan%dvo%rak%"]),
        (["zelenina", "seb"], ["seb", "eni"], ["%eni%", "%seb%"]),
        (["abcabc", "xabc"], ["abc"], ["%abc%"]),
    ],
)
def test_the_trigrams_are_asked_for_in_one_pattern_a_word(terms, asked, patterns):
    assert trigram_patterns(terms, asked) == patterns


def test_words_without_three_letters_in_a_row_ask_for_nothing():
    assert vegetables().looked_up(["s.r.o.", "ab", "a-b"]) == ()


def test_the_choice_is_the_same_every_time():
    sample = vegetables()
    assert len({sample.looked_up(["zelenina", "praha"]) for _ in range(5)}) == 1


@pytest.fixture
def market(alice, acme):
    """Customers whose search texts share trigrams in every way: all of a word's, some of
    them, across a field's end, beside punctuation."""
    for name, email in [
        ("Zelenina Šebestová", "eva@zelenina.example"),
        ("Zelená louka", "petr@louka.example"),
        ("Lenina 5", "info@lenina.example"),
        ("Malina a Zelenka", "jana.dvorakova@malina.example"),
        ("Dvořák a syn", "jana@dvorak.example"),
        ("Kovárna Horák s.r.o.", "jan.prochazka@kovarna.example"),
    ]:
        customer_of(alice.partner, name, contact_email=email)
    # Another partner's Zelenina is never found.
    customer_of(f.PartnerFactory(), "Zelenina Jinde", contact_email="x@zelenina.example")


def _found(partner, query: str, asked=()) -> set[str]:
    condition = matching(query, tenant_customers(query), asked)
    return set(
        Relationship.objects.filter(partner=partner)
        .filter(condition)
        .values_list("customer__company_name", flat=True)
    )


@pytest.mark.parametrize(
    "query",
    [
        "zelenina",
        "Zelenina Šeb",
        "zelen",
        "lenin",
        "jana.dvorakova",
        "dvorak",
        "ova",
        "horak s.r.o",
        "nothing-like-it",
    ],
)
def test_the_rarest_trigrams_find_the_same_rows_as_the_words(alice, market, query):
    sample = Sample(Relationship.objects.values_list("search_text", flat=True))
    for asked in [sample.looked_up(words(query)), vegetables().looked_up(words(query))]:
        assert asked  # every query here has a trigram to ask for
        assert _found(alice.partner, query, asked) == _found(alice.partner, query)


def test_a_tenant_id_beginning_is_still_found_beside_the_trigrams(alice, market, acme):
    beginning = str(acme.tenant_id)[:8]
    asked = vegetables().looked_up(words(beginning))
    assert _found(alice.partner, beginning, asked) == {"Acme s.r.o."}


@pytest.mark.skipif(
    "sqlite" not in settings.DATABASES["default"]["ENGINE"], reason="SQLite keeps no sample"
)
def test_there_is_no_sample_on_sqlite(db):
    trigrams.forget()
    assert trigrams.sample() is None


@pytest.fixture
def analysed(alice, market):
    """Enough customers for a sample, the statistics gathered, the sample read anew."""
    many = Customer.objects.bulk_create(
        f.CustomerFactory.build(company_name=f"Pekárna Malina {number}") for number in range(200)
    )
    Relationship.objects.bulk_create(
        Relationship(partner=alice.partner, customer=customer, **customer.list_copies())
        for customer in many
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('rel_search_trgm_idx')")
        cursor.execute("ANALYZE customers_relationship")
    trigrams.forget()
    yield
    trigrams.forget()


@on_postgresql
@pytest.mark.postgres
def test_the_sample_is_postgresqls_and_kept(analysed):
    sample = trigrams.sample()
    assert sample is not None
    assert sample.holders("zel")  # the Zelenina shops are in a sample of 206 texts
    with CaptureQueriesContext(connection) as captured:
        assert trigrams.sample() is sample
    assert not captured.captured_queries


@on_postgresql
@pytest.mark.postgres
def test_a_too_small_sample_is_none(alice, market):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_relationship")
    trigrams.forget()
    try:
        assert trigrams.sample() is None  # 8 texts say nothing of how common a trigram is
    finally:
        trigrams.forget()


@on_postgresql
@pytest.mark.postgres
def test_the_list_asks_the_index_for_the_rarest_trigrams(client, alice, analysed):
    client.force_login(alice)
    with CaptureQueriesContext(connection) as captured:
        shown = names(client.get(URL, {"q": "Zelenina"}))
    assert shown == ["Zelenina Šebestová"]
    asked = trigrams.sample().looked_up(["zelenina"])
    statements = [query["sql"] for query in captured.captured_queries]
    # The planner isn't asked what to expect: the sample it would reckon from says.
    assert not [sql for sql in statements if sql.startswith("EXPLAIN")]
    # The matches are found through the trigrams chosen, the word tested whole.
    [page] = [sql for sql in statements if "OVER ()" in sql]
    assert "LIKE '%zelenina%'" not in page
    assert "STRPOS" in page and "'zelenina'" in page
    for pattern in trigram_patterns(["zelenina"], asked):
        # As a value the planner doesn't estimate (what to expect is the sample's reckoning).
        assert f"LIKE (SELECT '{pattern}')" in page


@on_postgresql
@pytest.mark.postgres
def test_the_index_is_asked_only_for_the_trigrams_chosen(alice, analysed):
    asked = trigrams.sample().looked_up(["zelenina"])
    condition = matching("zelenina", (), asked)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    found = Relationship.objects.filter(condition).values("pk").explain(verbose=True)
    # The index is asked with the pattern an InitPlan gives it: the chosen trigrams alone.
    index_condition = re.search(r"Index Cond: \(.*search_text ~~ (\$\d+)\)", found)
    assert "rel_search_trgm_idx" in found and index_condition is not None
    parameter = index_condition.group(1)
    [pattern] = re.findall(
        rf"InitPlan \d+ \(returns \{parameter}\).*?Output: '([^']*)'", found, re.S
    )
    assert "zelenina" not in pattern
    assert all(trigram in pattern for trigram in asked)
    assert "strpos(" in found and "'zelenina'::text) > 0" in found


@on_postgresql
@pytest.mark.postgres
@pytest.mark.parametrize("params", [{"status": "none"}, {"country": "CZ"}])
def test_a_search_with_another_filter_asks_the_planner_what_to_expect(
    client, alice, analysed, params
):
    """The sample knows the search's words, not how they go with a status or a country."""
    client.force_login(alice)
    with CaptureQueriesContext(connection) as captured:
        client.get(URL, {"q": "Zelenina", **params})
    [estimate] = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("EXPLAIN")]
    # Of the search as written, which the planner reckons better than the trigrams chosen.
    assert "LIKE '%zelenina%'" in estimate


@on_postgresql
@pytest.mark.postgres
@pytest.mark.parametrize("query", ["malina", "zelenina", "pekarna malina", "nothing"])
def test_the_samples_expectation_is_the_planners(alice, analysed, query):
    from customers.selectors import _expected_rows

    terms = words(query)
    matches = Relationship.objects.filter(partner=alice.partner).filter(matching(query))
    beginning = Relationship.objects.filter(
        partner=alice.partner, customer_sort_name__startswith=max(terms, key=len)
    )
    planner = _expected_rows(matches, beginning)
    sample = trigrams.sample().expected(alice.partner.pk, terms)
    for planned, reckoned in zip(planner, sample, strict=True):
        assert 0.6 * planned - 2 <= reckoned <= 1.6 * planned + 2, (planner, sample)


def test_the_expected_matches_are_a_partners_rows_times_the_texts_share():
    partners = Partners(rows=10_000, shares={1: 0.9, 2: 0.05}, other_share=0.01)
    sample = Sample([*(f"zelenina {n}\nzel.cz" for n in range(10)), *["pekarna"] * 190], partners)
    matches, beginning = sample.expected(1, ["zelenina"])
    assert matches == pytest.approx(9_000 * 10 / 200)
    assert beginning == pytest.approx(9_000 * 10 / 200)
    # Every word in the same text; another partner's share; a word in no text is rare, not none.
    assert sample.expected(2, ["zelenina", "pekarna"])[0] == pytest.approx(500 * 0.0001)
    assert sample.expected(7, ["zel.cz"])[0] == pytest.approx(100 * 10 / 200)
    # A name beginning with the longest word; the domain's line is no name.
    assert sample.expected(1, ["zel", "zelenina"])[1] == pytest.approx(9_000 * 10 / 200)
    assert sample.expected(1, ["zel.cz"])[1] == pytest.approx(9_000 * 0.0001)


def test_without_the_partners_spread_nothing_is_expected():
    assert vegetables().expected(1, ["zelenina"]) is None


def test_a_partner_not_among_the_commonest_has_an_equal_part_of_the_rest():
    from customers.trigrams import _partners

    # 10 partners (a negative n_distinct is a share of the rows), two of them common.
    partners = _partners(1000.0, (None, ["1", "2"], [0.5, 0.3], -0.01, 0.0))
    assert partners.rows_of(1) == pytest.approx(500)
    assert partners.rows_of(2) == pytest.approx(300)
    assert partners.rows_of(3) == pytest.approx(1000 * 0.2 / 8)
    assert _partners(0.0, (None, [], [], 5, 0.0)) is None  # never analysed
