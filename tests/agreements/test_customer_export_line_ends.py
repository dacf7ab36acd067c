"""The export's lines end with CRLF (RFC 4180) whichever database writes it: PostgreSQL's
COPY ends lines with LF, csv.writer with CRLF; a line break inside a quoted cell is the
cell's own and stays as it is, on both."""

from agreements.exports import CrlfLineEnds
from tests import factories as f
from tests.agreements.export import body_of, export, rows_of

AWKWARD = 'Say "hi",\nthere'


def test_every_line_ends_with_crlf(client, alice, acme, contoso):
    awkward = f.CustomerFactory(company_name=AWKWARD)
    f.RelationshipFactory(partner=contoso, customer=awkward)
    f.attest(acme, alice)
    body = body_of(export(client, alice))
    quoted_cell = b'"Say ""hi"",\nthere"'
    assert body.count(quoted_cell) == 1
    rest = body.replace(quoted_cell, b"")
    assert rest.count(b"\n") == rest.count(b"\r\n") == 3  # the header and two customers
    assert body.endswith(b"\r\n")
    assert AWKWARD in [row[2] for row in rows_of(export(client, alice))]


def test_copys_line_ends_become_crlf_across_chunks():
    """Quotes carried from one chunk to the next: a LF inside a quoted cell split across
    chunks stays, the line's own end becomes CRLF."""
    line_ends = CrlfLineEnds()
    chunks = [b'a,"one\n', b'two ""x""', b'",b\nc,"', b'\n"\n', b"d,e\n"]
    assert b"".join(line_ends(chunk) for chunk in chunks) == (
        b'a,"one\ntwo ""x""",b\r\nc,"\n"\r\nd,e\r\n'
    )
