"""A4: the published agreement templates, and downloading the latest one for a country."""

from __future__ import annotations

from django.http import FileResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from django_countries import countries

from agreements.forms import CountryChoiceForm
from agreements.models import AgreementDocument
from portal.decorators import agent_required


def latest_documents() -> list[AgreementDocument]:
    """The latest document of each country that has one, in one query."""
    latest: dict[str, AgreementDocument] = {}
    for document in AgreementDocument.objects.select_related("template").order_by(
        "country", "-template__version_rank", "language"
    ):
        latest.setdefault(document.country.code, document)
    return sorted(latest.values(), key=lambda document: document.country.name)


@agent_required
@require_GET
def templates(request):
    form = CountryChoiceForm(
        request.GET or None, initial={"country": request.user.partner.country.code}
    )
    chosen = form.cleaned_data["country"] if form.is_valid() else None
    return render(
        request,
        "agreements/templates.html",
        {
            "form": form,
            "chosen_country": chosen,
            "chosen_country_name": countries.name(chosen) if chosen else "",
            "chosen_document": AgreementDocument.objects.latest_for(chosen) if chosen else None,
            "documents": latest_documents(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@agent_required
@require_GET
def download(request, country: str):
    """Streams the latest document for a country; its SHA-256 is the ETag."""
    code = country.upper()
    document = AgreementDocument.objects.latest_for(code) if code in countries else None
    if document is None:
        return render(
            request,
            "agreements/no_document.html",
            {"country": code, "country_name": countries.name(code) or code},
            status=404,
        )
    etag = f'"{document.sha256}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.filename,
            content_type=document.content_type,
        )
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response
