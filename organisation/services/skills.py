"""Skills assessments of key account managers and the job specifications they are held against."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.conflicts import bump_revision, lock_for_edit

from .. import permissions
from ..defaults import JOB_SPEC_TEXTS
from ..models import (
    GRID_MAX,
    GRID_MIN,
    SKILL_MAX,
    SKILL_MIN,
    Competence,
    CompetenceScore,
    JobSpecification,
    SkillsAssessment,
)


@transaction.atomic
def skills_assessment_record(
    *,
    manager: User,
    assessed_on: date,
    scores: dict[str, int],
    concern_for_customer: int,
    concern_for_sale: int,
    comment: str = "",
    acting_user: User,
) -> SkillsAssessment:
    """Record a new assessment (history is kept: earlier ones are never changed).

    Only a director of the manager (director on an account the manager manages) assesses.
    `scores` maps competence code → 1–5 and must cover every active competence; the sales grid
    scores run 1–9. The date may not lie in the future."""
    if not permissions.directs_manager(acting_user, manager):
        raise ValidationError(
            _(
                "%(user)s is not a director of %(manager)s: only a director of an account "
                "%(manager)s manages can assess them."
            )
            % {"user": acting_user, "manager": manager}
        )
    errors: dict[str, list[str]] = {}
    if assessed_on > timezone.localdate():
        errors.setdefault("assessed_on", []).append(
            _("An assessment cannot be dated in the future.")
        )
    for field, value in (
        ("concern_for_customer", concern_for_customer),
        ("concern_for_sale", concern_for_sale),
    ):
        if value is None or not GRID_MIN <= value <= GRID_MAX:
            errors.setdefault(field, []).append(
                _("Sales grid scores run from %(low)s to %(high)s.")
                % {"low": GRID_MIN, "high": GRID_MAX}
            )
    competences = list(Competence.objects.filter(is_active=True))
    for competence in competences:
        value = scores.get(competence.code)
        if value is None or not SKILL_MIN <= value <= SKILL_MAX:
            errors.setdefault(f"skill_{competence.code}", []).append(
                _("Score %(competence)s from %(low)s to %(high)s.")
                % {"competence": competence.shown_name, "low": SKILL_MIN, "high": SKILL_MAX}
            )
    if errors:
        raise ValidationError(errors)
    assessment = SkillsAssessment(
        manager=manager,
        assessed_by=acting_user,
        assessed_on=assessed_on,
        concern_for_customer=concern_for_customer,
        concern_for_sale=concern_for_sale,
        comment=comment.strip(),
    )
    assessment.full_clean()
    assessment.save()
    CompetenceScore.objects.bulk_create(
        CompetenceScore(assessment=assessment, competence=c, score=scores[c.code])
        for c in competences
    )
    return assessment


# ---- job specifications -------------------------------------------------------------------


@transaction.atomic
def job_specification_update(
    *,
    spec: JobSpecification,
    purpose: str,
    skills: str,
    day_to_day: str,
    long_term: str,
    revision: int | None,
    acting_user: User,
) -> JobSpecification:
    """Save new texts; `revision` is what the editor started from (`EditConflict` if it
    moved on)."""
    spec = lock_for_edit(
        spec,
        revision,
        queryset=JobSpecification.objects.select_related("updated_by"),
        message=_("Someone else saved this job specification while you were editing."),
    )
    typed = {"purpose": purpose, "skills": skills, "day_to_day": day_to_day, "long_term": long_term}
    for name, text in typed.items():
        # A default left as the form showed it (in the editor's language) stays the default.
        setattr(spec, name, JOB_SPEC_TEXTS.kept(text, getattr(spec, name)).strip())
    bump_revision(spec)
    spec.updated_by = acting_user
    spec.full_clean()
    spec.save()
    return spec
