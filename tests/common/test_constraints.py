"""common.constraints: an action's check constraints are validated as Django validates them,
without building a query for a constraint over a field left out."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q

from planning.models import Action

from ..factories import ActionFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db

LEFT_OUT_BY_A_SAVE_IN_PLACE = {"progress_percent", "owner", "customer_owner", "plan"}


def test_constraints_over_left_out_fields_build_no_query():
    action = ActionFactory()
    action.progress_percent = 150  # would break action_progress_max_100, but it is left out
    with mock.patch.object(Q, "check", autospec=True) as check:
        action.validate_constraints(exclude=LEFT_OUT_BY_A_SAVE_IN_PLACE)
    assert check.call_count == 0


def test_a_checkable_constraint_is_still_checked_as_django_does():
    action = ActionFactory()
    action.progress_percent = 150
    with pytest.raises(ValidationError, match="action_progress_max_100"):
        action.validate_constraints(exclude={"owner"})
    action.progress_percent = 50
    action.owner = UserFactory()
    action.customer_owner = StakeholderFactory(key_account=action.plan.key_account)
    with pytest.raises(ValidationError, match="action_one_owner_side"):
        action.full_clean(exclude={"progress_percent", "plan"})
    with pytest.raises(ValidationError, match="action_one_owner_side"):
        action.validate_constraints()


def test_an_action_in_bounds_passes():
    action = ActionFactory(owner=UserFactory(), progress_percent=100)
    action.validate_constraints()
    action.validate_constraints(exclude={"title"})
    assert isinstance(action, Action)
