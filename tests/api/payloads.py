"""Request bodies as a partner's script would send them."""

import copy
import datetime

from django.utils import timezone

NEW_CUSTOMER = {
    "companyProfile": {"companyName": "Wingtip Toys s.r.o.", "domain": "wingtip.onmicrosoft.com"},
    "billingProfile": {
        "firstName": "Petr",
        "lastName": "Svoboda",
        "email": "petr@wingtip.example",
        "phoneNumber": "+420602000111",
        "culture": "cs-CZ",
        "language": "cs",
        "defaultAddress": {
            "country": "CZ",
            "city": "Brno",
            "addressLine1": "Masarykova 1",
            "postalCode": "602 00",
        },
    },
}


def new_customer(**changes) -> dict:
    body = copy.deepcopy(NEW_CUSTOMER)
    for path, value in changes.items():
        target = body
        *parents, leaf = path.split("__")
        for parent in parents:
            target = target[parent]
        if value is None:
            target.pop(leaf)
        else:
            target[leaf] = value
    return body


def attestation(template, **changes) -> dict:
    body = {
        "primaryContact": {
            "firstName": "Jana",
            "lastName": "Nováková",
            "email": "jana@acme.example",
            "phoneNumber": "+420601123456",
        },
        "templateId": str(template.template_id),
        "dateAgreed": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "type": "MicrosoftCustomerAgreement",
    }
    for path, value in changes.items():
        target = body
        *parents, leaf = path.split("__")
        for parent in parents:
            target = target[parent]
        if value is None:
            target.pop(leaf)
        else:
            target[leaf] = value
    return body
