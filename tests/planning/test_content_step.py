"""The plan's content version moves by a random step of up to 2**32 (planning.services.health):
the step must reach the database as a 64-bit number. Bound on the server (prepared
statements, kam/settings.py), a bare int beside an F() was sent as a 32-bit integer and a
step above 2**31 came out negative (finding 46)."""

from __future__ import annotations

import pytest

from planning.models import AccountPlan
from planning.services import health

pytestmark = pytest.mark.django_db

LARGE_STEP = 2**32  # the largest step content_step can take


@pytest.mark.parametrize(
    "invalidate", [health.plan_content_invalidate, health.plan_health_invalidate]
)
def test_a_step_above_32_bits_moves_the_content_version_by_exactly_that_step(
    plan, monkeypatch, invalidate
):
    before = AccountPlan.objects.get(pk=plan.pk).content_version
    monkeypatch.setattr(health, "content_step", lambda: LARGE_STEP)

    assert invalidate(plans=AccountPlan.objects.filter(pk=plan.pk)) == 1

    assert AccountPlan.objects.get(pk=plan.pk).content_version == before + LARGE_STEP
