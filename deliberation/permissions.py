"""Who may do what: named rules, composed from small predicates."""

from __future__ import annotations

from collections.abc import Callable

# "expert": answers a digiraati's hearing questions; no other staff powers.
ROLES = ("admin", "facilitator", "moderator", "expert")

Rule = Callable[[str | None], bool]


def has_role(*roles: str) -> Rule:
    return lambda role: role in roles


is_admin = has_role("admin")
# Facilitators create and run sessions; admins can do everything.
can_manage_sessions = has_role("admin", "facilitator")
# Moderators decide on held and flagged posts; facilitators moderate too. Sessions
# have no owner: a county's facilitators run them as one team, so a facilitator may
# edit and moderate every session (decided in issue 9, see docs/abuse.md).
can_moderate = has_role("admin", "facilitator", "moderator")
can_manage_staff = is_admin
# Theme reports are for service developers; every staff role may read them.
can_view_themes = has_role("admin", "facilitator", "moderator")
# Digiraati: facilitators run the panel, its phases and the statement; experts
# answer in the hearing of a digiraati that names them (checked in deliberation.digiraati).
can_run_digiraati = has_role("admin", "facilitator")
can_answer_hearing = has_role("expert", "admin", "facilitator")
