"""Closing the loop: the public "what was done with your ideas" page, staff
writing and publishing the responses per theme, and residents' feedback
("did you feel heard?")."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from deliberation.content import (
    TRANSLATED_LANGS,
    localize,
    localize_response,
    translations_of,
)
from deliberation.errors import DomainError
from deliberation.feedback import do_give_feedback
from deliberation.lifecycle import RESULTS, access_visible_deliberation, stage_of
from deliberation.models import Deliberation
from deliberation.outcomes import (
    STATUSES,
    ResponseForm,
    do_publish_results,
    do_save_responses,
    forms_from_themes,
    responses_of,
)
from deliberation.permissions import can_manage_sessions, can_moderate
from deliberation.sessions import access_deliberation_by_id, questions_of
from server import forms, participation
from server.access import guard, staff_role
from server.errors import N_, error_message, error_page, status_of
from server.http import flash, participant_token, render, state, use_language

STATUS_TEXTS = {"done": N_("Done"), "in_progress": N_("Being carried out"),
                "planned": N_("Planned"), "considered": N_("Being considered"),
                "not_taken_forward": N_("Not taken forward")}
IN_LANGUAGE = {"sv": N_("In Swedish"), "en": N_("In English")}


def _results(db: Session, *, slug: str, role: str | None, lang: str) -> dict[str, Any]:
    d = access_visible_deliberation(db, slug=slug, role=role)
    assert d.id is not None
    t = translations_of(db, deliberation_id=d.id)
    content = localize(t, d, questions_of(db, deliberation_id=d.id), lang)
    # Residents read the responses once published; staff may preview them before.
    shown = stage_of(d) == RESULTS or can_moderate(role)
    responses = []
    for r in responses_of(db, deliberation_id=d.id) if shown else []:
        label, text = localize_response(t, r, lang)
        responses.append({"label": label, "text": text, "status": r.status,
                          "post_count": r.post_count})
    return {"d": d, "content": content, "responses": responses}


async def results_page(request: Request) -> Response:
    st, lang = state(request), use_language(request)
    data = await st.read(_results, slug=request.path_params["slug"],
                         role=staff_role(request), lang=lang)
    words = {code: st.translator.gettext(text) for code, text in STATUS_TEXTS.items()}
    for r in data["responses"]:
        r["status_text"] = words[r["status"]]
    return render(request, "results.html", data)


def _feedback(db: Session, *, slug: str, token: str | None, context: object, score: object,
              text: object, names: bool) -> None:
    d, me = participation.joined(db, slug=slug, token=token)
    do_give_feedback(db, d=d, participant=me, context=str(context or ""), score=score,
                     text=text, names=names)


def _feedback_refused(request: Request, exc: DomainError) -> Response:
    if exc.code == "session_not_found":
        return error_page(request, exc.code)
    flash(request, "error", error_message(request, exc.code, exc.params))
    return RedirectResponse(f"/s/{request.path_params['slug']}#feedback", status_code=303)


@guard(csrf=True, on_error=_feedback_refused)
async def feedback(request: Request) -> Response:
    st = state(request)
    form = await request.form()
    await st.run(_feedback, slug=request.path_params["slug"],
                 token=participant_token(request, create=False), context=form.get("context"),
                 score=form.get("score"), text=form.get("text"),
                 names=st.settings.detect_names)
    flash(request, "success", error_message(request, "feedback_received"))
    return RedirectResponse(f"/s/{request.path_params['slug']}", status_code=303)


def _responses_data(db: Session, *, deliberation_id: int) -> dict[str, Any]:
    d = access_deliberation_by_id(db, deliberation_id=deliberation_id)
    t = translations_of(db, deliberation_id=deliberation_id)
    rows = responses_of(db, deliberation_id=deliberation_id)
    versions = {r.id: {lang: (t.get("theme_label", lang, r.id or 0),
                              t.get("theme_response", lang, r.id or 0))
                       for lang in TRANSLATED_LANGS} for r in rows}
    return {"d": d, "rows": rows, "versions": versions}


def _responses_page(request: Request, d: Deliberation, items: list[ResponseForm],
                    status_code: int = 200, error: str = "") -> Response:
    st = state(request)
    gettext = st.translator.gettext
    return render(request, "staff/responses.html", {
        "d": d, "forms": items, "stage": stage_of(d), "error": error,
        "has_themes": d.id in st.themes.snapshots,
        "statuses": [(code, gettext(STATUS_TEXTS[code])) for code in STATUSES],
        "in_language": {code: gettext(text) for code, text in IN_LANGUAGE.items()},
    }, status_code=status_code)


@guard(can_manage_sessions)
async def responses_page(request: Request) -> Response:
    st = state(request)
    data = await st.read(_responses_data, deliberation_id=request.path_params["id"])
    # Start from the latest theme report, when one has been computed.
    snapshot = st.themes.snapshots.get(data["d"].id)
    themes = snapshot.computed.report["themes"] if snapshot else []
    items = [replace(f, versions=data["versions"].get(f.id, {}))
             for f in forms_from_themes(themes, data["rows"])]
    return _responses_page(request, data["d"], items or [ResponseForm("", "")])


def _save(db: Session, *, deliberation_id: int, items: list[ResponseForm], publish: bool,
          role: str | None) -> None:
    d = access_deliberation_by_id(db, deliberation_id=deliberation_id)
    do_save_responses(db, d=d, items=items)
    if publish:
        do_publish_results(db, d=d, role=role)


async def _responses_refused(request: Request, exc: DomainError) -> Response:
    if request.method == "GET" or exc.code == "session_not_found":
        return error_page(request, exc.code, exc.params)
    d = await state(request).read(access_deliberation_by_id,
                                  deliberation_id=request.path_params["id"])
    # What was typed comes back, so nothing is lost.
    items = forms.response_forms(await request.form())
    return _responses_page(request, d, items, status_of(exc.code),
                           error_message(request, exc.code, exc.params))


@guard(can_manage_sessions, csrf=True, on_error=_responses_refused)
async def save_responses(request: Request) -> Response:
    st = state(request)
    form = await request.form()
    action = form.get("action")
    items = forms.response_forms(form)
    await st.run(_save, deliberation_id=request.path_params["id"], items=items,
                 publish=action == "publish", role=staff_role(request))
    if action == "add":
        data = await st.read(_responses_data, deliberation_id=request.path_params["id"])
        d = data["d"]
        rows = [ResponseForm(r.label, r.response, r.status, r.post_count, r.id,
                             data["versions"].get(r.id, {})) for r in data["rows"]]
        return _responses_page(request, d, [*rows, ResponseForm("", "")])
    flash(request, "success", error_message(
        request, "results_published" if action == "publish" else "responses_saved"))
    return RedirectResponse(f"/staff/sessions/{request.path_params['id']}/responses",
                            status_code=303)


routes = [
    Route("/s/{slug}/results", results_page),
    Route("/s/{slug}/feedback", feedback, methods=["POST"]),
    Route("/staff/sessions/{id:int}/responses", responses_page, methods=["GET"]),
    Route("/staff/sessions/{id:int}/responses", save_responses, methods=["POST"]),
]
