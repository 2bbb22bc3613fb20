"""Every write of the programme organisation, and the rules behind them.

Team rules (checked on every change to an account team, i.e. `accounts.Membership`):

* A person holds one role per account (adding someone twice is refused).
* An account has **exactly one director**. Making someone director while another person
  directs the account is refused unless the change is marked as a *hand-over*; then the previous
  director leaves the team. The director cannot be removed or given another role (hand the
  account over instead).
* An account keeps **at least one manager**: its last manager cannot be removed or given another
  role (reassign the account to another manager, or add a second manager first).
* A person's time shares across all their accounts add up to **at most 100 %**.

These rules read several rows before writing, so two changes at the same moment could each
pass them alone and break them together (write skew). Every team change therefore first locks
the account (`_lock_team`: the account row, then the people whose time shares it checks, as a
mutex, `common.locks.lock_rows`) and only then reads the team: a second change waits and then
sees the first. The rules that hold row by row (one entry per person and account, one director,
a share of at most 100 % per entry) are database constraints too (`accounts.Membership`), for
writes that do not take the lock (the admin): a team change the database refuses reads the team
again and says why in the checks' own words (`common.constraints.refused_as`).

Every team change is recorded on the account's timeline (TEAM_CHANGED) and clears the cached
roles of the people it touches, so permission checks in the same request see the new team.

Split by topic: `teams` (account teams and executive sponsors, under the rules above),
`skills` (skills assessments and job specifications), `allocation` (which manager fits which
account, and reassigning one), `mentoring`; the public names are gathered here so callers
import `organisation.services` as before.
"""

from .allocation import (
    ALLOCATION_RULES,
    MAX_ACCOUNTS_PER_MANAGER,
    MAX_OPEN_ACTIONS_PER_MANAGER,
    STAR_MIN_STRATEGIC,
    STRATEGIC_MIN_SKILL,
    account_manager_reassign,
    manager_fit_problems,
    overload_problems,
)
from .mentoring import NextStep, StepAction, mentoring_session_record, mentoring_step_to_action
from .skills import job_specification_update, skills_assessment_record
from .teams import (
    MAX_TIME_SHARE_PERCENT,
    executive_sponsor_set,
    team_member_add,
    team_member_change,
    team_member_remove,
    time_share_elsewhere,
)

__all__ = [
    "ALLOCATION_RULES",
    "MAX_ACCOUNTS_PER_MANAGER",
    "MAX_OPEN_ACTIONS_PER_MANAGER",
    "MAX_TIME_SHARE_PERCENT",
    "NextStep",
    "STAR_MIN_STRATEGIC",
    "STRATEGIC_MIN_SKILL",
    "StepAction",
    "account_manager_reassign",
    "executive_sponsor_set",
    "job_specification_update",
    "manager_fit_problems",
    "mentoring_session_record",
    "mentoring_step_to_action",
    "overload_problems",
    "skills_assessment_record",
    "team_member_add",
    "team_member_change",
    "team_member_remove",
    "time_share_elsewhere",
]
