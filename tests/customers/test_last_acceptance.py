"""Each relationship keeps the date agreed of the acceptance on record for its partner (the
newest record that counts), with its status: the customers list shows and sorts by it."""

import datetime

from django.utils import timezone, translation
from django.utils.formats import date_format

from customers.models import AgreementStatus, Relationship
from tests import factories as f
from tests.customers.listing import URL

TODAY = timezone.localdate()


def last_accepted(customer, partner):
    return Relationship.objects.get(customer=customer, partner=partner).last_accepted_on


def test_an_attestation_sets_the_last_acceptance(alice, acme):
    assert last_accepted(acme, alice.partner) is None
    f.attest(acme, alice, date_agreed=TODAY - datetime.timedelta(days=3))
    assert last_accepted(acme, alice.partner) == TODAY - datetime.timedelta(days=3)


def test_the_newest_record_wins_even_with_an_earlier_date(alice, acme):
    f.attest(acme, alice, date_agreed=TODAY - datetime.timedelta(days=1))
    f.attest(acme, alice, date_agreed=TODAY - datetime.timedelta(days=5), first_name="Petr")
    assert last_accepted(acme, alice.partner) == TODAY - datetime.timedelta(days=5)


def test_the_providers_attestation_counts_for_its_resellers_relationship(frank, northwind, initech):
    f.attest(initech, frank, date_agreed=TODAY - datetime.timedelta(days=2))
    assert last_accepted(initech, northwind) == TODAY - datetime.timedelta(days=2)


def test_another_partners_attestation_does_not_count(alice, lisa, acme):
    f.RelationshipFactory(partner=lisa.partner, customer=acme)
    f.attest(acme, lisa, date_agreed=TODAY - datetime.timedelta(days=2))
    assert last_accepted(acme, lisa.partner) == TODAY - datetime.timedelta(days=2)
    assert last_accepted(acme, alice.partner) is None
    assert Relationship.objects.get(customer=acme, partner=alice.partner).agreement_status == (
        AgreementStatus.NONE
    )


def test_the_list_shows_the_last_acceptance(client, alice, acme):
    agreed = TODAY - datetime.timedelta(days=10)
    f.attest(acme, alice, date_agreed=agreed)
    client.force_login(alice)
    with translation.override("en"):
        assert date_format(agreed, "DATE_FORMAT") in client.get(URL).text
