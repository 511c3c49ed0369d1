"""Who may do what: each named rule, for each staff role and for no login."""

from __future__ import annotations

import pytest

from deliberation.permissions import (
    ROLES,
    can_answer_hearing,
    can_manage_sessions,
    can_manage_staff,
    can_moderate,
    can_run_digiraati,
    can_view_themes,
    is_admin,
)

RULES = {"is_admin": is_admin, "can_manage_sessions": can_manage_sessions,
         "can_moderate": can_moderate, "can_manage_staff": can_manage_staff,
         "can_view_themes": can_view_themes, "can_run_digiraati": can_run_digiraati,
         "can_answer_hearing": can_answer_hearing}
ALLOWED = {
    "admin": {"is_admin", "can_manage_sessions", "can_moderate", "can_manage_staff",
              "can_view_themes", "can_run_digiraati", "can_answer_hearing"},
    "facilitator": {"can_manage_sessions", "can_moderate", "can_view_themes",
                    "can_run_digiraati", "can_answer_hearing"},
    "moderator": {"can_moderate", "can_view_themes"},
    # An expert answers in the hearing of a digiraati that names them, nothing else.
    "expert": {"can_answer_hearing"},
    None: set(),  # a resident or a visitor: no staff rule lets them in
    "owner": set(),  # an unknown role is no role
}


@pytest.mark.parametrize("role", [*ROLES, None, "owner"])
@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_role_gets_exactly_its_rules(role: str | None, rule: str) -> None:
    assert RULES[rule](role) is (rule in ALLOWED[role])
