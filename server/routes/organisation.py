"""The organisation's pages: its settings (admins), the accessibility statement
made from the completed template, the privacy notice, the discussion rules and
the uploaded logo."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from deliberation.errors import DomainError
from deliberation.organisation import (
    MAX_LOGO_BYTES,
    OrganisationView,
    do_save_organisation,
    do_set_logo,
    organisation,
)
from deliberation.permissions import is_admin
from server import forms
from server import organisation as org_cache
from server.access import guard, staff_role
from server.errors import N_, error_message, status_of
from server.http import flash, render, state, use_language

TEXT_FIELDS = (("name", N_("Name of the organisation"), 1), ("contact", N_("Address"), 2),
               ("privacy_notice", N_("Privacy notice"), 6), ("rules", N_("Discussion rules"), 6),
               ("a11y_known_issues", N_("Known accessibility problems"), 4))
CONFORMANCE = (("full", N_("The service meets the requirements")),
               ("partial", N_("The service meets the requirements in part")),
               ("none", N_("The service does not meet the requirements")))
TEXTS_IN = {"fi": N_("Texts in Finnish"), "sv": N_("Texts in Swedish"),
            "en": N_("Texts in English")}


async def _view(request: Request) -> OrganisationView:
    view = org_cache.current(request)
    return view if view is not None else await state(request).read(organisation)


async def accessibility(request: Request) -> Response:
    return render(request, "organisation/accessibility.html", {"org": await _view(request)})


async def privacy(request: Request) -> Response:
    view, lang = await _view(request), use_language(request)
    return render(request, "organisation/text_page.html", {
        "heading": state(request).translator.gettext("Privacy notice"),
        "body": view.text("privacy_notice", lang),
        "link": view.row.privacy_url, "link_text": view.row.privacy_url})


async def rules(request: Request) -> Response:
    view, lang = await _view(request), use_language(request)
    return render(request, "organisation/text_page.html", {
        "heading": state(request).translator.gettext("Discussion rules"),
        "body": view.text("rules", lang), "link": "", "link_text": ""})


async def logo(request: Request) -> Response:
    row = (await _view(request)).row
    if not row.logo_bytes:
        raise DomainError("not_found")
    # Only PNG or JPEG are accepted (deliberation.organisation.check_logo).
    return Response(row.logo_bytes, media_type=row.logo_type,
                    headers={"cache-control": "public, max-age=300"})


def _form_context(request: Request, view: OrganisationView,
                  values: dict[str, str]) -> dict[str, Any]:
    gettext = state(request).translator.gettext
    return {
        "org": view, "values": values,
        "text_fields": [(name, gettext(label), rows) for name, label, rows in TEXT_FIELDS],
        "conformance_choices": [(code, gettext(text)) for code, text in CONFORMANCE],
        "texts_in": {code: gettext(text) for code, text in TEXTS_IN.items()},
    }


async def _settings_error(request: Request, exc: DomainError) -> Response:
    view = await _view(request)
    form = await request.form()
    values = forms.organisation_values(None, form) if "name-fi" in form else \
        forms.organisation_values(view)
    ctx = _form_context(request, view, values)
    ctx["error"] = error_message(request, exc.code, exc.params)
    return render(request, "staff/organisation.html", ctx, status_code=status_of(exc.code))


@guard(is_admin, csrf=True, on_error=_settings_error)
async def settings_page(request: Request) -> Response:
    st = state(request)
    if request.method == "GET":
        view = await st.read(organisation)
        return render(request, "staff/organisation.html",
                      _form_context(request, view, forms.organisation_values(view)))
    form = forms.organisation_form(await request.form())
    view = await st.run(do_save_organisation, form=form, role=staff_role(request))
    org_cache.replace(st, view)
    flash(request, "success", error_message(request, "organisation_saved"))
    return RedirectResponse("/staff/organisation", status_code=303)


async def _read_upload(upload: object) -> bytes:
    if not isinstance(upload, UploadFile):
        raise DomainError("logo_missing")
    # One byte over the limit is enough to refuse, without reading a huge file.
    return await upload.read(MAX_LOGO_BYTES + 1)


@guard(is_admin, csrf=True, on_error=_settings_error)
async def logo_upload(request: Request) -> Response:
    st = state(request)
    form = await request.form()
    try:
        data = None if form.get("remove") else await _read_upload(form.get("logo"))
    finally:
        await form.close()  # the uploaded file's temporary storage
    await st.run(do_set_logo, data=data, role=staff_role(request))
    org_cache.replace(st, await st.read(organisation))
    flash(request, "success", error_message(request, "logo_removed" if data is None else "logo_saved"))
    return RedirectResponse("/staff/organisation", status_code=303)


routes = [
    Route("/accessibility", accessibility),
    Route("/privacy", privacy),
    Route("/rules", rules),
    Route("/organisation/logo", logo),
    Route("/staff/organisation", settings_page, methods=["GET", "POST"]),
    Route("/staff/organisation/logo", logo_upload, methods=["POST"]),
]
