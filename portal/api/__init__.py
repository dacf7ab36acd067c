"""The kit every REST endpoint under /v1/ is built from, in Partner Center's shapes.

errors: the error body and the exception handler, with its table of domain errors;
views: the base view; auth: bearer tokens; idempotency: MS-RequestId on POSTs;
pagination: collections and keyset pages; schema: OpenAPI building blocks.
"""
