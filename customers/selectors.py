"""Scoped reads of customers (R4): an agent sees its partner's customers and nobody else's.

Every customer lookup in views, tags and the API goes through ``get_relationship_for``,
so another partner's customer is simply not found (404).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OrderBy,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.functional import SimpleLazyObject

from customers.models import Customer, CustomerChange, Relationship, RelationshipQuerySet
from portal.models import Partner, PartnerKind
from portal.pagination import COUNT_LIMIT
from portal.permissions import is_agent
from portal.rows import Columns, Later, Prepared, Statement, run_together

if TYPE_CHECKING:
    from portal.models import User


def visible_relationships(partner: Partner) -> RelationshipQuerySet:
    """Relationships a partner may see: its own and, for a provider, its resellers'.

    A customer the provider also serves itself is seen once, through its own relationship.
    """
    if partner.kind == PartnerKind.INDIRECT_PROVIDER:
        own = Relationship.objects.filter(
            partner_id=partner.pk, customer_id=OuterRef("customer_id")
        )
        return Relationship.objects.filter(
            Q(partner_id=partner.pk) | (Q(partner__provider_id=partner.pk) & ~Exists(own))
        )
    return Relationship.objects.filter(partner_id=partner.pk)


def visible_by_partner(
    partner: Partner, within: RelationshipQuerySet | None = None
) -> list[tuple[Partner, RelationshipQuerySet]]:
    """The relationships of visible_relationships (narrowed to ``within``, such as the
    customers list's filters), split by the partner that holds them: the partner's own first,
    then each reseller's (a provider's). One partner's relationships are one range of its
    partner-scoped indexes, so each part can be read in order in batches (exports, the records
    API); the OR of visible_relationships can't be."""
    base = within if within is not None else Relationship.objects.all()
    parts = [(partner, base.filter(partner_id=partner.pk))]
    if partner.kind == PartnerKind.INDIRECT_PROVIDER:
        own = Relationship.objects.filter(
            partner_id=partner.pk, customer_id=OuterRef("customer_id")
        )
        for reseller in Partner.objects.filter(provider_id=partner.pk).order_by("pk"):
            parts.append((reseller, base.filter(partner_id=reseller.pk).filter(~Exists(own))))
    return parts


def relationships_for(user: User) -> RelationshipQuerySet:
    if not is_agent(user) or user.partner is None:
        return Relationship.objects.none()
    return visible_relationships(user.partner)


def customers_for(user: User) -> QuerySet[Customer]:
    """R4: the customers this agent may see; nobody else's."""
    if not is_agent(user):
        return Customer.objects.none()
    return Customer.objects.filter(pk__in=relationships_for(user).values("customer_id"))


def get_relationship_for(user: User, tenant_id: UUID | str) -> Relationship:
    """The relationship through which this agent sees a customer, or 404.

    A partner's own relationship wins over a reseller's when both exist. The answer says
    whether this agent may act on it in its own name (``is_own``): a provider sees its
    resellers' customers, but only the partner that sent an invitation acts on it.
    """
    if not is_agent(user):
        raise Http404("No such customer.")
    partner = user.partner
    if partner is not None and partner.kind != PartnerKind.INDIRECT_PROVIDER:
        relationship = _own_relationship(partner, tenant_id)
        if relationship is None:
            raise Http404("No such customer.")
        return relationship
    matches = (
        relationships_for(user)
        .filter(customer__tenant_id=tenant_id)
        .select_related("customer", "partner", "partner__provider")
    )
    if user.partner is not None and user.partner.kind == PartnerKind.INDIRECT_PROVIDER:
        # Only a provider can see a customer through two relationships: its own and a
        # reseller's. Anyone else has at most one, so there is nothing to order.
        own_first = Case(When(partner_id=user.partner_id, then=Value(0)), default=Value(1))
        matches = matches.order_by(own_first)
    relationship = next(iter(matches[:1]), None)
    if relationship is None:
        raise Http404("No such customer.")
    relationship.is_own = relationship.partner_id == user.partner_id
    return relationship


_RELATIONSHIP = Columns(Relationship, "r")
_CUSTOMER = Columns(Customer, "c")
_TENANT_ID = Customer._meta.get_field("tenant_id")
# Prepared: planning this join took ten times as long as running it.
_OWN_RELATIONSHIP = Prepared(
    "own_relationship",
    f"SELECT {_RELATIONSHIP.sql}, {_CUSTOMER.sql} FROM {Relationship._meta.db_table} r "
    f"JOIN {Customer._meta.db_table} c ON c.id = r.customer_id "
    "WHERE r.partner_id = %s AND c.tenant_id = %s LIMIT 1",
)


def _own_relationship(partner: Partner, tenant_id: UUID | str) -> Relationship | None:
    """``get_relationship_for`` for a partner that is no provider, whose visible relationships
    are its own (visible_relationships): written out, not built by the ORM, as every page and
    call about one customer starts here. Its partner is the one in hand."""
    [rows] = run_together(
        connection,
        [_OWN_RELATIONSHIP(partner.pk, _TENANT_ID.get_db_prep_value(tenant_id, connection))],
    )
    if not rows:
        return None
    row = rows[0]
    relationship = _RELATIONSHIP.build(row[: _RELATIONSHIP.width], connection)
    relationship.customer = _CUSTOMER.build(row[_RELATIONSHIP.width :], connection)
    relationship.partner = partner
    relationship.is_own = True
    return relationship


def get_customer_for(user: User, tenant_id: UUID | str) -> Customer:
    return get_relationship_for(user, tenant_id).customer


def can_view_customer(user: User, customer: Customer) -> bool:
    return customers_for(user).filter(pk=customer.pk).exists()


# The customers list counts this far, then says "more than" (cheap at any size)...
LIST_TOTAL_LIMIT = 1_000
# ...and pages on as far as this many rows.
LIST_ROWS_LIMIT = COUNT_LIMIT
# A search whose matches PostgreSQL expects to be more than this walks the sort's index
# instead of sorting them all (a common word is soon met along any order), and its total is
# bounded like the list's; fewer are all read and sorted, and counted exactly on the way.
SORTED_MATCHES_LIMIT = 50_000
# Fewer matches than this are sorted at once. More (a common word) are first looked for along
# the list's order, at most WALK_ROWS customers of it: a word spread over the names is met every
# few hundred, and a page is found long before its matches could all be read and sorted.
WALK_FROM_MATCHES = 2_000
WALK_ROWS = 10_000


@dataclass(frozen=True)
class Walk:
    """A search that may be answered along the list's order: the list in that order without the
    search (one partner's, by name either way, no other filter) and the folded words that each
    must be in a customer's search text (customers.search)."""

    rows: RelationshipQuerySet
    words: tuple[str, ...]
    descending: bool

    def beginning(self) -> RelationshipQuerySet:
        """The customers whose name begins with the longest word: where its matches bunch."""
        return self.rows.filter(customer_sort_name__startswith=max(self.words, key=len))


@dataclass(frozen=True)
class ListPage:
    """One page of the customers list, and its total: exact up to LIST_TOTAL_LIMIT."""

    rows: list[Relationship]
    number: int
    per_page: int
    total: int
    total_is_more: bool
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def counted_pages(self) -> int:
        """The pages the total covers (there are more when the total is "more than")."""
        return max(1, -(-self.total // self.per_page))

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.rows)


def list_page(
    relationships: RelationshipQuerySet,
    page: str | None,
    per_page: int,
    *,
    matches_first: Sequence[OrderBy] | None = None,
    rarest: RelationshipQuerySet | None = None,
    expected: tuple[float, float] | None = None,
    walk: Walk | None = None,
    owner: Partner | None = None,
) -> ListPage:
    """The page asked for (the first if it isn't a number, the last if past the end) of an
    ordered list, and its total, in the same few queries at any size.

    ``matches_first`` is the list's order in a form that makes PostgreSQL collect a search's
    matches and sort them (customers.filters.ordering), used unless they are very many.
    ``rarest`` is the same search as the trigram index answers it fastest (customers.trigrams),
    then used to find and count its matches; the planner's estimates are of the search as
    written, which it reckons better. ``expected`` is what those estimates would say, when
    known without asking (customers.trigrams: the sample the planner reckons them from).
    ``walk`` is the same search as a filter along the list's order, tried first when its
    matches are many and not all of one name's beginning (_walk_worthwhile). ``owner``, when
    every row is that partner's (a list of a partner that is no provider), is each row's
    partner, in hand rather than joined to every row.
    """
    try:
        number = min(max(1, int(page or 1)), LIST_ROWS_LIMIT // per_page)
    except ValueError:
        number = 1
    if matches_first is not None:
        if expected is not None:
            matched, beginning = expected
        else:
            # Both estimates in one round trip: the matches, and those a walk would meet in
            # a bunch.
            matched, beginning = (
                _expected_rows(relationships, walk.beginning())
                if walk is not None
                else (_expected_rows(relationships)[0], 0.0)
            )
        if matched <= SORTED_MATCHES_LIMIT:
            matches = relationships if rarest is None else rarest
            sorted_page = partial(
                _sorted_matches, matches.order_by(*matches_first), number, per_page, owner
            )
            if walk is not None and _walk_worthwhile(matched, beginning):
                return when_used(_walked(walk, matches, number, per_page, owner, sorted_page))
            return when_used(sorted_page())
    return _listed_page(relationships, number, per_page, owner)


def _listed_page(
    relationships: RelationshipQuerySet, number: int, per_page: int, owner: Partner | None
) -> ListPage:
    """A page of an ordered list, its total bounded (exact up to LIST_TOTAL_LIMIT): the page's
    places and the bounded total in one statement, sent at once and read when the page is
    first used (portal.rows.Later), then only those rows joined to their customers."""
    later = Later(connection, *_places_and_total(relationships, number, per_page))

    def finish() -> ListPage:
        page = number
        found = later.rows()
        places = [pk for pk, _total in found]
        total = found[0][1] if found else _bounded_total(relationships)
        total_is_more = total > LIST_TOTAL_LIMIT
        last_reachable = LIST_ROWS_LIMIT // per_page
        if not total_is_more:
            last_reachable = max(1, -(-total // per_page))
        if page > last_reachable:
            page = last_reachable
            places = _places(relationships, page, per_page)
        if not places and page > 1:
            # Past the end of a list longer than its total says: its last counted page.
            page = min(page, -(-LIST_TOTAL_LIMIT // per_page))
            places = _places(relationships, page, per_page)
        return ListPage(
            rows=_rows_by_id(places[:per_page], owner),
            number=page,
            per_page=per_page,
            total=min(total, LIST_TOTAL_LIMIT),
            total_is_more=total_is_more,
            has_next=len(places) > per_page and page < last_reachable,
        )

    return when_used(finish)


def _bounded(relationships: RelationshipQuerySet) -> QuerySet[Relationship, dict[str, Any]]:
    # Without ORDER BY the database needn't sort (or join) just to count.
    return relationships.order_by().values("pk")[: LIST_TOTAL_LIMIT + 1]


def _bounded_total(relationships: RelationshipQuerySet) -> int:
    return _bounded(relationships).count()


def _paged(
    relationships: RelationshipQuerySet, number: int, per_page: int
) -> QuerySet[Relationship, int]:
    """The page's places (relationship ids) in the list's order, and one more (is there a
    next page?): from the relationships alone, an index for most orders."""
    bottom = (number - 1) * per_page
    return relationships.values_list("pk", flat=True)[bottom : bottom + per_page + 1]


def _places(relationships: RelationshipQuerySet, number: int, per_page: int) -> list[int]:
    return list(_paged(relationships, number, per_page))


def _places_and_total(
    relationships: RelationshipQuerySet, number: int, per_page: int
) -> tuple[str, tuple]:
    """One statement for the page's places, each with the bounded total beside it (an
    uncorrelated subquery: computed once). A page past the end has no row to carry it."""
    bounded, params = _bounded(relationships).query.sql_with_params()
    total = RawSQL(f"SELECT COUNT(*) FROM ({bounded}) bounded", params, IntegerField())
    bottom = (number - 1) * per_page
    paged = relationships.annotate(listed_total=total).values_list("pk", "listed_total")
    return paged[bottom : bottom + per_page + 1].query.sql_with_params()


def _sorted_matches(
    matches: RelationshipQuerySet, number: int, per_page: int, owner: Partner | None
) -> Callable[[], ListPage]:
    """A page of a search's matches, which are all read to be sorted: their exact number
    comes with the page's places, in the same pass (COUNT(*) OVER ()), at no extra cost.

    The places' query is sent at once; the page is made by the function returned, when the
    page is first used (when_used): PostgreSQL finds and sorts the matches meanwhile, while
    the page around them renders (its layout, its filters)."""
    counted = matches.annotate(matched=Window(Count("pk")))

    def places_of(number: int) -> RelationshipQuerySet:
        bottom = (number - 1) * per_page
        return counted.values_list("pk", "matched")[bottom : bottom + per_page + 1]

    later = Later(connection, *places_of(number).query.sql_with_params())

    def finish() -> ListPage:
        page = number
        last_reachable = LIST_ROWS_LIMIT // per_page
        places = later.rows()
        total = places[0][1] if places else 0
        if not places and page > 1 and (total := matches.order_by().count()):
            # Past the end: the last page.
            page = min(-(-total // per_page), last_reachable)
            places = list(places_of(page))
        last_reachable = min(last_reachable, max(1, -(-total // per_page)))
        rows = _rows_by_id([pk for pk, _matched in places[:per_page]], owner)
        return ListPage(
            rows=rows,
            number=page,
            per_page=per_page,
            total=total,
            total_is_more=False,
            has_next=len(places) > per_page and page < last_reachable,
        )

    return finish


def when_used(finish: Callable[[], ListPage]) -> ListPage:
    """The page ``finish`` makes, made when the page is first used (an attribute read): its
    query is on its way meanwhile."""
    return cast(ListPage, SimpleLazyObject(finish))


def _walk_worthwhile(expected: float, beginning: float) -> bool:
    """Whether a search's page is likely met early along the name order: its matches are many
    (``expected``) and not mostly the names that begin with its longest word (``beginning``:
    "Zelenina …" all lie together, wherever that is in the order; "horák" is met everywhere).
    PostgreSQL's estimates decide; nothing is read."""
    return expected >= WALK_FROM_MATCHES and beginning < expected / 2


def _walked(
    walk: Walk,
    matches: RelationshipQuerySet,
    number: int,
    per_page: int,
    owner: Partner | None,
    sorted_page: Callable[[], Callable[[], ListPage]],
) -> Callable[[], ListPage]:
    """The page asked for if its matches, and one more, are among the first WALK_ROWS
    customers of the list's order; else the page of all the matches sorted (``sorted_page``).

    The walk is a subquery with its own LIMIT, so PostgreSQL reads the name index in order
    (the index carries the search text: customers migration 0013) and tests each entry, never
    the trigram index. The total, bounded like the list's, comes beside each place (an
    uncorrelated subquery: counted once, and not at all if the walk meets no match). Like a
    sorted page's, the query is sent at once and the page made when first used.
    """
    bottom = (number - 1) * per_page
    inner, params = walk.rows.values("id", "customer_sort_name", "search_text")[
        :WALK_ROWS
    ].query.sql_with_params()
    bounded, bounded_params = _bounded(matches).query.sql_with_params()
    direction = "DESC" if walk.descending else "ASC"
    found = " AND ".join(["walked.search_text LIKE %s ESCAPE '\\'"] * len(walk.words))
    sql = (
        f"SELECT walked.id, (SELECT COUNT(*) FROM ({bounded}) bounded) "
        f"FROM ({inner}) walked WHERE {found} "
        f"ORDER BY walked.customer_sort_name {direction}, walked.id {direction} "
        "LIMIT %s OFFSET %s"
    )
    likes = [f"%{connection.ops.prep_for_like_query(word)}%" for word in walk.words]
    later = Later(connection, sql, [*bounded_params, *params, *likes, per_page + 1, bottom])

    def finish() -> ListPage:
        found = later.rows()
        if len(found) <= per_page:
            return sorted_page()()
        total = found[0][1]
        last_reachable = LIST_ROWS_LIMIT // per_page
        if total <= LIST_TOTAL_LIMIT:
            last_reachable = max(1, -(-total // per_page))
        return ListPage(
            rows=_rows_by_id([pk for pk, _total in found[:per_page]], owner),
            number=number,
            per_page=per_page,
            total=min(total, LIST_TOTAL_LIMIT),
            total_is_more=total > LIST_TOTAL_LIMIT,
            has_next=number < last_reachable,
        )

    return finish


def _expected_rows(*querysets: RelationshipQuerySet) -> list[float]:
    """How many rows PostgreSQL's planner expects of each (its statistics; nothing is read),
    their EXPLAINs sent in one round trip. Elsewhere none.

    Not one EXPLAIN of their UNION ALL: for many rows PostgreSQL plans that in parallel, and a
    parallel Append reorders its members and gives each process's share of their rows."""
    if connection.vendor != "postgresql":
        return [0.0] * len(querysets)
    statements = []
    for queryset in querysets:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        statements.append((f"EXPLAIN (FORMAT JSON) {sql}", list(params)))
    plans = [rows[0][0] for rows in run_together(connection, statements)]
    return [
        float((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"])
        for plan in plans
    ]


# What a list's row shows (the customers list, New order's choice of customer): only these
# columns are read, so the others (search text, address, contact phone) aren't converted.
LIST_ROW_COLUMNS = (
    "partner_id",
    "agreement_status",
    "invited_until",
    "last_accepted_on",
    "created_at",
    "customer__company_name",
    "customer__domain",
    "customer__country",
    "customer__tenant_id",
)


_ROW = Columns(
    Relationship,
    "r",
    ["id", "customer_id", *(name for name in LIST_ROW_COLUMNS if "__" not in name)],
)
_ROW_CUSTOMER = Columns(
    Customer,
    "c",
    ["id", *(name.removeprefix("customer__") for name in LIST_ROW_COLUMNS if "__" in name)],
)
_ROW_PARTNER = Columns(Partner, "p")
_ROW_CUSTOMER_FIELD = Relationship._meta.get_field("customer")
_ROW_PARTNER_FIELD = Relationship._meta.get_field("partner")
_ROWS_SQL = (
    f"SELECT {_ROW.sql}, {_ROW_CUSTOMER.sql}{{partner_columns}} "
    f'FROM "{Relationship._meta.db_table}" r '
    f'JOIN "{Customer._meta.db_table}" c ON c.id = r.customer_id{{partner_join}} '
    "WHERE r.id {ids}"
)
_WITH_PARTNERS = {
    "partner_columns": f", {_ROW_PARTNER.sql}",
    "partner_join": f' JOIN "{Partner._meta.db_table}" p ON p.id = r.partner_id',
}
_WITHOUT_PARTNERS = {"partner_columns": "", "partner_join": ""}
# Prepared on PostgreSQL (a list of ids as one array parameter).
_ROWS_OWN = Prepared("list_rows", _ROWS_SQL.format(ids="= ANY(%s)", **_WITHOUT_PARTNERS))
_ROWS_JOINED = Prepared("list_rows_partners", _ROWS_SQL.format(ids="= ANY(%s)", **_WITH_PARTNERS))


def _rows_by_id(pks: list[int], owner: Partner | None) -> list[Relationship]:
    """The rows of these relationships (LIST_ROW_COLUMNS), in this order, each with its
    customer and partner (the owner in hand when every row is its, else joined): written out,
    not built by the ORM, for a search's page, whose places are found first."""
    if not pks:
        return []
    partners = _WITHOUT_PARTNERS if owner is not None else _WITH_PARTNERS
    if connection.vendor == "postgresql":
        statement: Statement = (_ROWS_OWN if owner is not None else _ROWS_JOINED)(pks)
    else:
        ids = f"IN ({', '.join(['%s'] * len(pks))})"
        statement = (_ROWS_SQL.format(ids=ids, **partners), list(pks))
    # The connection itself, not django.db.connection's proxy: each row's converters read it.
    database = connections[DEFAULT_DB_ALIAS]
    [found] = run_together(database, [statement])
    width = _ROW.width + _ROW_CUSTOMER.width
    rows = {}
    for values in found:
        relationship = _ROW.build(values[: _ROW.width], database)
        # Cached as select_related leaves them (the ids came with the row).
        _ROW_CUSTOMER_FIELD.set_cached_value(
            relationship, _ROW_CUSTOMER.build(values[_ROW.width : width], database)
        )
        if owner is None:
            _ROW_PARTNER_FIELD.set_cached_value(
                relationship, _ROW_PARTNER.build(values[width:], database)
            )
        elif relationship.partner_id == owner.pk:
            _ROW_PARTNER_FIELD.set_cached_value(relationship, owner)
        rows[relationship.pk] = relationship
    return [rows[pk] for pk in pks if pk in rows]


# Account info's change history, a page at a time (newest first).
CHANGES_PAGE_SIZE = 10


@dataclass(frozen=True)
class ChangesPage:
    rows: list[CustomerChange]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def change_history(customer: Customer, page: str | None, viewer: Partner | None) -> ChangesPage:
    """One page of the customer's change history in one query, however long it is (a row
    more than the page says whether there is an older page; nothing is counted). Each row's
    ``changed_by_name`` names the agent only to the agent's own partner (and to its
    provider); anyone else reads "another partner" (R4: no other partner is revealed)."""
    try:
        number = min(max(1, int(page or 1)), COUNT_LIMIT // CHANGES_PAGE_SIZE)
    except ValueError:
        number = 1
    bottom = (number - 1) * CHANGES_PAGE_SIZE
    rows = list(
        CustomerChange.objects.filter(customer=customer)
        .select_related("changed_by", "partner")
        .order_by("-changed_at", "-id")[bottom : bottom + CHANGES_PAGE_SIZE + 1]
    )
    for row in rows[:CHANGES_PAGE_SIZE]:
        row.names_agent = bool(  # type: ignore[attr-defined]
            viewer is not None
            and row.partner is not None
            and (row.partner_id == viewer.pk or row.partner.provider_id == viewer.pk)
        )
    return ChangesPage(
        rows=rows[:CHANGES_PAGE_SIZE], number=number, has_next=len(rows) > CHANGES_PAGE_SIZE
    )
