"""Reading the CSV export the way a spreadsheet would."""

import csv
import io

HEADER = [
    "Tenant ID",
    "Domain",
    "Company name",
    "Country",
    "Agreement status",
    "Method",
    "Accepted by: first name",
    "Accepted by: last name",
    "Accepted by: email",
    "Accepted by: phone",
    "Date agreed",
    "Template version",
    "Recorded at (UTC)",
    "Recorded by",
    "Customer page",
]


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def rows_of(response) -> list[list[str]]:
    text = body_of(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def export(client, user, query: str = ""):
    client.force_login(user)
    return client.get(f"/customers/export.csv{query}")
