"""Moderation.

``moderation.screening`` is the pure part (text -> findings -> verdict) that
``deliberation`` uses; the rest of this package is the workflow (queue,
decisions, flags, sanctions, audit, resubmission, stats) that acts on stored
verdicts and sits above ``deliberation``. This module imports nothing, so
importing the screening part never pulls in the workflow.
"""
