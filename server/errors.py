"""The one place where domain error codes become HTTP statuses, JSON error
bodies, translated error pages, websocket messages and user-facing words
(msgids in the catalogs).

Routes do not catch ``DomainError`` to build a response: the route wrapper
(server/access.py) and the app's exception handler call :func:`error_response`,
which answers JSON to API and script requests and a translated page otherwise.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, Response

from deliberation.errors import DomainError, Forbidden, NotFound
from server.http import render, state, use_language


def N_(message: str) -> str:
    """Marks a msgid for extraction into the catalogs; translated when shown."""
    return message


# code -> (HTTP status, English msgid; the catalogs hold fi/sv/en)
ERRORS: dict[str, tuple[int, str]] = {
    "post_empty": (422, N_("Your message is empty. Write something before sending.")),
    "post_too_long": (422, N_("Your message is too long: %(length)s characters. The limit is %(limit)s.")),
    "question_required": (422, N_("Choose the question your idea answers.")),
    "question_not_found": (404, N_("That question does not exist in this session.")),
    "post_not_found": (404, N_("That message does not exist or is no longer visible.")),
    "reply_wrong_question": (422, N_("A reply must stay under the same question.")),
    "session_not_found": (404, N_("There is no such session. Check the link.")),
    "session_closed": (409, N_("This session has closed. You can still read it, but no longer post.")),
    "session_not_open": (409, N_("This session has not opened yet.")),
    "participant_banned": (403, N_("A moderator has blocked you from posting in this session.")),
    "rate_limited": (429, N_("You are posting very quickly. Please wait a minute and try again (at most %(limit)s messages a minute).")),
    "session_busy": (429, N_("The session is very busy right now. Please try again in a minute.")),
    "support_own_post": (422, N_("You cannot support your own message.")),
    # The API's counterpart of the live socket's 4409 (web/locale/<lang>/powapi.po).
    "events_ahead": (409, N_("This page has seen events that the session does not have (for example an old copy from another server). Reload the page.")),
    "not_joined": (403, N_("Open the session page first to get your pseudonym.")),
    "bad_request": (400, N_("The request was not understood.")),
    "csrf_failed": (403, N_("The form had expired. Please try again.")),
    "login_failed": (401, N_("Wrong username or password.")),
    "login_rate_limited": (429, N_("Too many login attempts. Wait a moment and try again.")),
    "login_required": (401, N_("Please log in.")),
    "forbidden": (403, N_("You do not have permission to do that.")),
    "title_required": (422, N_("Give the session a title.")),
    "title_too_long": (422, N_("The title is too long (at most %(limit)s characters).")),
    "slug_invalid": (422, N_("The web address may contain only lowercase letters a-z, digits and hyphens.")),
    "slug_taken": (409, N_("Another session already uses that web address.")),
    "introduction_too_long": (422, N_("The introduction is too long (at most %(limit)s characters).")),
    "questions_required": (422, N_("Add at least one question.")),
    "too_many_questions": (422, N_("A session can have at most %(limit)s questions.")),
    "question_too_long": (422, N_("A question is too long (at most %(limit)s characters).")),
    "closes_before_opens": (422, N_("The closing time must be after the opening time.")),
    "moderation_mode_invalid": (422, N_("Choose a moderation mode.")),
    "kind_invalid": (422, N_("Choose the kind of session.")),
    "date_invalid": (422, N_("Check the date and time: use the form day.month.year hours:minutes.")),
    "username_invalid": (422, N_("A username has 2-80 letters, digits or the characters _ . @ -")),
    "username_taken": (409, N_("That username is already in use.")),
    "password_too_short": (422, N_("The password must have at least %(limit)s characters.")),
    "role_invalid": (422, N_("Choose a role: admin, facilitator or moderator.")),
    "database_unavailable": (503, N_("The service is temporarily unavailable. Please try again in a moment.")),
    "not_found": (404, N_("Page not found.")),
    # Not errors, but words the same way: what happened to a post just sent.
    "session_saved": (200, N_("The session was saved.")),
    "themes_failed": (500, N_("The themes could not be computed this time. The messages are safe; try again later.")),
    "themes_recomputed": (200, N_("The themes were computed again from all published messages.")),
    "post_published": (200, N_("Your message was published.")),
    "post_held": (202, N_("Thank you! Your message is waiting for a moderator before it is shown to others.")),
    "server_error": (500, N_("Something went wrong on our side. Nothing you had saved was lost.")),
    # Moderation (translations in web/locale/<lang>/moderation.po).
    "decision_reason_invalid": (422, N_("Choose a reason for the decision.")),
    "note_too_long": (422, N_("The note is too long (at most %(limit)s characters).")),
    "already_decided": (409, N_("This message has already been decided, perhaps by another moderator. The queue has been updated.")),
    "nothing_to_redact": (422, N_("Nothing is marked in this message, so there is nothing to cut. Approve or reject it instead.")),
    "redaction_incomplete": (409, N_("Personal data is still there after the cut (a second or disguised copy). Nothing was published. Reject the message with a reason so its author can edit it.")),
    "nothing_selected": (422, N_("Select at least one message first.")),
    "too_many_selected": (422, N_("Select at most %(limit)s messages at a time.")),
    "participant_not_found": (404, N_("That pseudonym does not exist.")),
    "flag_reason_invalid": (422, N_("Choose why you are reporting the message.")),
    "flag_own_post": (422, N_("You cannot report your own message.")),
    "already_flagged": (409, N_("You have already reported this message. A moderator will look at it.")),
    "post_not_editable": (409, N_("This message can no longer be edited: a moderator has already published or hidden it.")),
    "flag_received": (201, N_("Thank you. A moderator will look at the message.")),
    "decision_approve": (200, N_("Approved: the message is public.")),
    "decision_reject": (200, N_("Rejected: the author sees the reason.")),
    "decision_redact": (200, N_("The marked parts were cut and the message published.")),
    "decision_hide": (200, N_("The message was hidden.")),
    "decision_restore": (200, N_("The message is public again.")),
    "decision_bulk_approve": (200, N_("The selected messages were approved.")),
    "sanction_mute": (200, N_("The pseudonym is muted: its messages wait for a moderator.")),
    "sanction_unmute": (200, N_("The mute was lifted.")),
    "sanction_ban": (200, N_("The pseudonym is banned from posting in this session.")),
    "sanction_unban": (200, N_("The ban was lifted.")),
    "staff_created": (200, N_("The staff account was created.")),
    # Hardening: admission, staff sessions and accounts (web/locale/<lang>/security.po).
    "pow_required": (403, N_("Press “Take part” and wait a moment: your browser does a short automatic check first. It needs JavaScript.")),
    # Redis, which remembers spent proofs across processes, is away: refused.
    "pow_unavailable": (503, N_("The service is temporarily unavailable. Please try again in a moment.")),
    "join_rate_limited": (429, N_("Many new participants have joined from your connection just now. Please try again in %(minutes)s minutes.")),
    "staff_not_found": (404, N_("That staff account does not exist.")),
    "staff_delete_self": (422, N_("You cannot delete your own account.")),
    "staff_session_not_found": (404, N_("That login has already ended.")),
    "password_changed": (200, N_("Your password was changed. Your other logins were ended.")),
    "staff_session_ended": (200, N_("The login was ended.")),
    "staff_deleted": (200, N_("The account was deleted and its logins ended.")),
    "joined": (200, N_("Welcome! You now take part with a pseudonym.")),
    "text_has_nul": (422, N_("The text contains an invisible control character (NUL) that cannot be saved. It was removed: check the text and save again.")),
    # County readiness: lifecycle, language versions, organisation, responses,
    # feedback (translations in web/locale/<lang>/county.po).
    "publish_needs_opening_time": (422, N_("Set an opening time before publishing the session.")),
    "already_published": (409, N_("The session is already published.")),
    "unpublish_only_scheduled": (409, N_("Only a session that has not opened yet can return to draft.")),
    "close_only_open": (409, N_("Only an open session can be closed.")),
    "results_need_closed_session": (409, N_("The responses can be published only after the session has closed.")),
    "results_need_a_response": (422, N_("Write at least one response before publishing.")),
    "language_invalid": (422, N_("Choose Finnish, Swedish or English.")),
    "content_field_invalid": (422, N_("The form had a field that does not exist. Reload the page.")),
    "closing_too_long": (422, N_("The closing message is too long (at most %(limit)s characters).")),
    "question_versions_too_many": (422, N_("A translation has more questions than the Finnish version. Write one question per line, in the same order.")),
    "question_move_invalid": (422, N_("Choose a question that stays, or keep the question hidden.")),
    "theme_label_required": (422, N_("Every theme needs a name.")),
    "response_status_invalid": (422, N_("Choose a status from the list.")),
    "response_too_long": (422, N_("A response is too long (at most %(limit)s characters).")),
    "too_many_responses": (422, N_("There can be at most %(limit)s themes.")),
    "feedback_score_invalid": (422, N_("Choose a number from 1 to 5.")),
    "feedback_too_long": (422, N_("The feedback is too long (at most %(limit)s characters).")),
    "feedback_empty": (422, N_("Choose a number or write something before sending.")),
    "feedback_already_given": (409, N_("You have already answered. Thank you!")),
    "feedback_context_invalid": (422, N_("The feedback form was not valid. Reload the page.")),
    "url_invalid": (422, N_("An address must start with https:// or http://.")),
    "email_invalid": (422, N_("Check the e-mail address.")),
    "phone_invalid": (422, N_("Check the phone number: use only digits, spaces and the characters + ( ) -.")),
    "conformance_invalid": (422, N_("Choose how well the service meets the accessibility requirements.")),
    "text_too_long": (422, N_("A text is too long (at most %(limit)s characters).")),
    "organisation_name_required": (422, N_("Give the name of the organisation in Finnish.")),
    "logo_missing": (422, N_("Choose a logo file to upload.")),
    "logo_too_large": (422, N_("The logo is too large (at most %(limit)s kB).")),
    "logo_type_invalid": (422, N_("The logo must be a PNG or JPEG image.")),
    "session_published": (200, N_("The session was published.")),
    "session_saved_draft": (200, N_("The draft was saved. Only staff can see it.")),
    "session_unpublished": (200, N_("The session is a draft again.")),
    "session_closed_now": (200, N_("The session was closed.")),
    "responses_saved": (200, N_("The responses were saved.")),
    "results_published": (200, N_("The responses were published.")),
    "feedback_received": (201, N_("Thank you for your feedback!")),
    "organisation_saved": (200, N_("The settings were saved.")),
    "logo_saved": (200, N_("The logo was saved.")),
    "logo_removed": (200, N_("The logo was removed.")),
    "support_saved": (200, N_("Your support was saved.")),
    "support_removed": (200, N_("Your support was removed.")),
    # Digiraati (translations in web/locale/<lang>/digiraati.po).
    "digiraati_not_found": (404, N_("There is no such digiraati. Check the link.")),
    "digiraati_private": (403, N_("This digiraati is open to its panel only. If you were invited, open the link in your invitation.")),
    "quotas_required": (422, N_("Add at least one quota line: category, value, minimum, maximum.")),
    "quota_line_invalid": (422, N_("Quota line %(line)s is not understood. Write: category, value, minimum, maximum (or category, value, share %%).")),
    "quota_min_above_max": (422, N_("On quota line %(line)s the minimum is larger than the maximum.")),
    "quota_duplicate": (422, N_("Quota line %(line)s repeats a value that already has a quota.")),
    "too_many_categories": (422, N_("Use at most %(limit)s categories.")),
    "panel_csv_empty": (422, N_("The volunteers' file has no rows. Save the spreadsheet as CSV with a header row and try again.")),
    "panel_csv_too_large": (422, N_("The volunteers' file is too large.")),
    "panel_csv_too_many": (422, N_("The volunteers' file has more than %(limit)s rows.")),
    "panel_csv_missing_column": (422, N_("The volunteers' file has no column \"%(category)s\", but the quotas use that category. Check the column names in the header row.")),
    "panel_csv_unknown_value": (422, N_("Row %(row)s of the volunteers' file has \"%(value)s\" in the column \"%(category)s\", but the quotas have no such value. Add a quota for it or correct the row.")),
    "panel_size_invalid": (422, N_("The panel size must be a whole number between 1 and %(limit)s.")),
    "panel_too_few_volunteers": (422, N_("There are %(seats)s seats but only %(volunteers)s volunteers. Lower the panel size or add volunteers.")),
    "panel_quota_sum": (422, N_("The quotas of the category \"%(category)s\" allow %(low)s-%(high)s people, but the panel has %(seats)s seats. Change the quotas of that category.")),
    "panel_quota_too_few": (422, N_("The category \"%(category)s\" needs at least %(min)s with the value \"%(value)s\", but only %(available)s volunteers have it.")),
    "panel_quotas_infeasible": (422, N_("The quotas cannot all be met at the same time with these volunteers. Start by loosening the category \"%(category)s\"; the suggested changes are listed below.")),
    "panel_no_volunteers": (422, N_("Load the volunteers' file first.")),
    "panel_draw_running": (409, N_("The panel is being drawn right now. Wait until the draw is done; this page shows the result.")),
    "panel_draw_interrupted": (503, N_("The draw was interrupted because the server restarted. Nothing was changed: start the draw again.")),
    "panel_draw_failed": (503, N_("The draw failed because of a fault on the server. Nothing was changed: try again, and if it fails again, contact the support.")),
    "panel_not_drawn": (409, N_("Draw the panel first.")),
    "panel_final": (409, N_("The panel is final: it can no longer be drawn again or changed.")),
    "panel_already_invited": (409, N_("Invitations have already been sent to this panel, so it cannot be drawn again. Draw replacements for those who decline instead.")),
    "panel_no_replacement": (409, N_("No volunteer left in the pool can take this seat without breaking the quotas (category \"%(category)s\"). Add an invitation by hand or loosen the quotas.")),
    "seed_invalid": (422, N_("The seed must be a whole number between 1 and %(limit)s.")),
    "volunteer_not_found": (404, N_("That volunteer is not in this pool.")),
    "volunteer_not_on_panel": (409, N_("That volunteer is not on the panel.")),
    "invitation_label_invalid": (422, N_("Write who the invitation is for (at most %(limit)s characters).")),
    "invitation_unknown": (404, N_("This invitation link is not valid. Check that the whole link was copied, or ask the organiser for a new one.")),
    "invitation_used": (409, N_("This invitation link has already been used by someone else. Each link works for one person only. If it was yours, ask the organiser for a new one.")),
    "invitation_revoked": (410, N_("This invitation link has been cancelled. If you should still take part, please contact the organiser.")),
    "invitation_expired": (410, N_("This invitation link has expired. If you would still like to take part, please contact the organiser.")),
    "already_panellist": (409, N_("You are already on this panel with another invitation.")),
    "not_panellist": (403, N_("Only the panel's members can take part here. You can read along.")),
    "display_name_invalid": (422, N_("A name has 2-40 characters.")),
    "display_name_taken": (409, N_("Someone on the panel already uses that name. Choose another.")),
    "not_expert": (403, N_("Only the experts of this digiraati can answer.")),
    "expert_role_required": (422, N_("Only staff accounts with the expert role can be named as experts.")),
    "expert_already_added": (409, N_("That expert is already named for this digiraati.")),
    "phase_not_open": (409, N_("This phase is not open now, so nothing can be sent in it.")),
    "phase_unknown": (404, N_("There is no such phase.")),
    "phase_ends_before_start": (422, N_("A phase must end after it starts.")),
    "phase_overlaps": (422, N_("A phase must start after the previous one ends.")),
    "background_too_long": (422, N_("The background material is too long (at most %(limit)s characters).")),
    "hearing_use_questions": (409, N_("Questions to the experts are asked on the hearing page.")),
    "question_merged": (409, N_("This question was merged with a similar one. Support that one instead.")),
    "merge_same_question": (422, N_("Choose two different questions to merge.")),
    "answer_empty": (422, N_("Your answer is empty.")),
    "answer_too_long": (422, N_("Your answer is too long (at most %(limit)s characters).")),
    "not_writer": (403, N_("Only the statement's writers can edit its text. You can propose an amendment.")),
    "section_not_found": (404, N_("That section does not exist.")),
    "version_not_found": (404, N_("That version does not exist.")),
    "version_required": (422, N_("The form was missing the version you edited. Reload the page; your text is kept below.")),
    "too_many_sections": (422, N_("A statement can have at most %(limit)s sections.")),
    "section_empty": (422, N_("The section's text is empty.")),
    "section_too_long": (422, N_("The text is too long (at most %(limit)s characters).")),
    "edit_conflict": (409, N_("Someone saved this section while you were editing it. Both texts are shown below: nothing you wrote was lost.")),
    "amendment_empty": (422, N_("Write the text you propose.")),
    "reason_required": (422, N_("Give a reason.")),
    "reason_too_long": (422, N_("The reason is too long (at most %(limit)s characters).")),
    "text_held": (422, N_("Your text seems to contain personal data or words that are not allowed. Edit it and send it again.")),
    "amendment_not_found": (404, N_("That amendment does not exist.")),
    "amendment_decided": (409, N_("This amendment has already been decided.")),
    "vote_choice_invalid": (422, N_("Choose: agree, can accept or disagree.")),
    "results_hidden": (409, N_("The results are shown when voting has closed.")),
    "statement_empty": (409, N_("The statement has no sections yet.")),
    "voting_not_closed": (409, N_("Close the voting first: the statement is published with its results.")),
    "statement_already_published": (409, N_("The statement has already been published.")),
    "not_published": (409, N_("Publish the statement first.")),
    "county_response_status_invalid": (422, N_("Choose what was done: accepted, partly accepted or not taken forward.")),
    "panel_joined": (200, N_("Welcome to the panel! You can now take part in the open phases.")),
    "name_saved": (200, N_("Your name on the panel was saved.")),
    "question_published": (200, N_("Your question was published.")),
    "question_held": (202, N_("Thank you! Your question is waiting for a moderator before it is shown to others.")),
    "answer_published": (200, N_("Your answer was published.")),
    "questions_merged": (200, N_("The questions were merged.")),
    "hearing_closed": (200, N_("The hearing was closed.")),
    "expert_added": (200, N_("The expert was added.")),
    "pool_loaded": (200, N_("The volunteers and quotas were loaded.")),
    "panel_drawn": (200, N_("The panel was drawn.")),
    "replacement_drawn": (200, N_("A replacement was drawn: row %(row)s.")),
    "panel_finalised": (200, N_("The panel is final and the contact details were deleted.")),
    "contacts_deleted": (200, N_("The contact details were deleted.")),
    "invitation_revoked_ok": (200, N_("The invitation was cancelled.")),
    "section_saved": (200, N_("The section was saved as a new version.")),
    "amendment_proposed": (200, N_("Your amendment was proposed.")),
    "amendment_held_ok": (200, N_("Thank you! Your amendment is waiting for a moderator before the panel sees it.")),
    "comment_held_ok": (200, N_("Thank you! Your comment is waiting for a moderator before the panel sees it.")),
    "amendment_decided_ok": (200, N_("The decision on the amendment was saved.")),
    "vote_saved": (200, N_("Your vote was saved. You can change it until voting closes.")),
    "statement_published_ok": (200, N_("The statement was published.")),
    "response_saved": (200, N_("The county's response was saved.")),
}


# Refusals that leave no page to show them on (a route's own ``on_error`` is skipped).
WHOLE_PAGE_GONE = frozenset({"session_not_found"})


def status_of(code: str) -> int:
    return ERRORS.get(code, (400, ""))[0]


def msgid_of(code: str) -> str:
    return ERRORS.get(code, (400, ERRORS["bad_request"][1]))[1]


def message(code: str, params: dict[str, Any], gettext: Any) -> str:
    text: str = gettext(msgid_of(code))
    try:
        return text % params if params else text
    except (KeyError, ValueError, TypeError):
        return text


def error_body(code: str, params: dict[str, Any], gettext: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"error": {"code": code, "message": message(code, params, gettext)}}
    if params:
        body["error"]["params"] = params
    return body


def error_frame(code: str, params: dict[str, Any], gettext: Any,
                request_id: object = None) -> dict[str, Any]:
    """A websocket's answer to a message it refuses (the connection stays)."""
    return {"type": "error", "request_id": request_id, "code": code,
            "message": message(code, params, gettext)}


def close_code_of(code: str) -> int:
    """The close code refusing a websocket for ``code``: 4000 plus its HTTP
    status (4404: no such session, and the page stops reconnecting)."""
    return 4000 + status_of(code)


def code_of(exc: Exception) -> tuple[str, dict[str, Any]]:
    if isinstance(exc, DomainError):
        return exc.code, exc.params
    return "server_error", {}


def error_message(conn: HTTPConnection, code: str, params: dict[str, Any] | None = None) -> str:
    """The words of ``code`` in the request's language."""
    use_language(conn)
    return message(code, params or {}, state(conn).translator.gettext)


def wants_json(request: HTTPConnection) -> bool:
    """JSON for the API, the probes and page scripts (``Accept: application/json``)."""
    path = request.url.path
    return (path.startswith("/api/") or path in ("/readyz", "/healthz")
            or "application/json" in request.headers.get("accept", ""))


def json_error(conn: HTTPConnection, code: str, params: dict[str, Any] | None = None,
               status: int | None = None) -> JSONResponse:
    use_language(conn)
    body = error_body(code, params or {}, state(conn).translator.gettext)
    return JSONResponse(body, status_code=status or status_of(code))


def error_page(request: Request, code: str, params: dict[str, Any] | None = None,
               status: int | None = None) -> Response:
    use_language(request)
    return render(request, "error.html", {"message": error_message(request, code, params)},
                  status_code=status or status_of(code))


def error_response(request: Request, code: str, params: dict[str, Any] | None = None,
                   status: int | None = None) -> Response:
    """``code`` as the request wants it: a JSON error body or a translated page."""
    if wants_json(request):
        return json_error(request, code, params, status)
    return error_page(request, code, params, status)


__all__ = [
    "ERRORS",
    "WHOLE_PAGE_GONE",
    "DomainError",
    "Forbidden",
    "NotFound",
    "close_code_of",
    "code_of",
    "error_body",
    "error_frame",
    "error_message",
    "error_page",
    "error_response",
    "json_error",
    "message",
    "status_of",
    "wants_json",
]
