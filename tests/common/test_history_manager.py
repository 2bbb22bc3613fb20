"""common.history: the audit history's manager class is made once per model, and a row's
history is still that row's."""

import pytest

from planning.models import Action

from ..factories import ActionFactory

pytestmark = pytest.mark.django_db


def test_the_manager_class_is_made_once_and_still_bound_to_its_row():
    first, second = ActionFactory(), ActionFactory()
    first.title = "Renamed"
    first.save()
    assert type(first.history) is type(second.history) is type(Action.history)
    assert first.history.count() == 2 and second.history.count() == 1
    assert Action.history.count() == 3
    assert first.history.first().title == "Renamed"  # newest first
