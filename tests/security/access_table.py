"""THE table: for every named URL, who gets what on GET and POST.

Each entry is `(get_rule, post_rule)`; a rule maps every role to an expected outcome:
OK (any status below 400 that is not a bounce to the login page), LOGIN (redirect to /login/),
or an exact status code (403, 404, 405). A new URL without an entry fails
test_every_url_has_an_entry — decide who may use it before it ships.
"""

OK = "ok"
LOGIN = "login"

ROLES = (
    "director",
    "manager",
    "coordinator",
    "team_member",
    "executive",
    "programme_admin",
    "no_role",
    "anonymous",
    # A browser holding a customer workspace link (a customer stakeholder of the personas'
    # account, no login): 404 on every page outside the workspace, unless a rule says so.
    "customer_link",
)


def _rule(**outcomes):
    outcomes.setdefault("customer_link", 404)
    missing = set(ROLES) - set(outcomes)
    assert not missing, f"rule lacks {missing}"
    return outcomes


# Account pages: members and executives read; outsiders (incl. programme admins) get 404.
ACCOUNT_VIEW = _rule(
    director=OK, manager=OK, coordinator=OK, team_member=OK, executive=OK,
    programme_admin=404, no_role=404, anonymous=LOGIN,
)  # fmt: skip
ACCOUNT_EDIT = _rule(
    director=OK, manager=OK, coordinator=403, team_member=403, executive=403,
    programme_admin=404, no_role=404, anonymous=LOGIN,
)  # fmt: skip
ACCOUNT_APPROVE = _rule(
    director=OK, manager=403, coordinator=403, team_member=403, executive=403,
    programme_admin=404, no_role=404, anonymous=LOGIN,
)  # fmt: skip
ACCOUNT_SCHEDULE = _rule(
    director=OK, manager=OK, coordinator=OK, team_member=403, executive=403,
    programme_admin=404, no_role=404, anonymous=LOGIN,
)  # fmt: skip
# Pages every logged-in user may open (content is scoped by the selectors).
ANY_USER = _rule(
    director=OK, manager=OK, coordinator=OK, team_member=OK, executive=OK,
    programme_admin=OK, no_role=OK, anonymous=LOGIN,
)  # fmt: skip
PUBLIC = {role: OK for role in ROLES}
# A GET-only page answering POST (or the reverse): 405 once logged in.
NOT_ALLOWED = _rule(
    director=405, manager=405, coordinator=405, team_member=405, executive=405,
    programme_admin=405, no_role=405, anonymous=LOGIN,
)  # fmt: skip
PUBLIC_NOT_ALLOWED = {role: 405 for role in ROLES}
# Action progress: a team member may update their own actions (the matrix's action is theirs).
ACCOUNT_PROGRESS = _rule(
    director=OK, manager=OK, coordinator=OK, team_member=OK, executive=403,
    programme_admin=404, no_role=404, anonymous=LOGIN,
)  # fmt: skip
# A customer issue: the account's editors, and its owner (the matrix's issue is the team
# member's) while on the team.
ISSUE_UPDATE = {**ACCOUNT_EDIT, "team_member": OK}
# Anyone with a role on the account (executives only read).
ACCOUNT_MEMBER = _rule(
    director=OK, manager=OK, coordinator=OK, team_member=OK, executive=403,
    programme_admin=404, no_role=404, anonymous=LOGIN,
)  # fmt: skip
# Something that belongs to one user (the matrix's object belongs to the manager).
OWN_ONLY = _rule(
    director=404, manager=OK, coordinator=404, team_member=404, executive=404,
    programme_admin=404, no_role=404, anonymous=LOGIN,
)  # fmt: skip
# Account team changes: the account's director, or a programme admin (who may run every
# team without a role on the account).
TEAM_EDIT = _rule(
    director=OK, manager=403, coordinator=403, team_member=403, executive=403,
    programme_admin=OK, no_role=404, anonymous=LOGIN,
)  # fmt: skip
TEAM_VIEW = {**ACCOUNT_VIEW, "programme_admin": OK}
# A manager's profile: themself, their directors, programme admins and executives.
MANAGER_PROFILE = _rule(
    director=OK, manager=OK, coordinator=404, team_member=404, executive=OK,
    programme_admin=OK, no_role=404, anonymous=LOGIN,
)  # fmt: skip
# Assessing a manager: their directors only.
MANAGER_ASSESS = _rule(
    director=OK, manager=403, coordinator=404, team_member=404, executive=403,
    programme_admin=403, no_role=404, anonymous=LOGIN,
)  # fmt: skip
# Directors' pages (allocation, starting a mentoring session).
DIRECTORS = _rule(
    director=OK, manager=403, coordinator=403, team_member=403, executive=403,
    programme_admin=OK, no_role=403, anonymous=LOGIN,
)  # fmt: skip
# Turning a mentoring step into an action: the session's director only.
MENTORING_DIRECTOR = _rule(
    director=OK, manager=403, coordinator=404, team_member=404, executive=404,
    programme_admin=403, no_role=404, anonymous=LOGIN,
)  # fmt: skip
# Anyone holding some role (a membership or a global group).
ROLE_HOLDERS = {**ANY_USER, "no_role": 403}
# A mentoring session: the director who wrote it, the manager it is about, programme admins.
MENTORING_SESSION = _rule(
    director=OK, manager=OK, coordinator=404, team_member=404, executive=404,
    programme_admin=OK, no_role=404, anonymous=LOGIN,
)  # fmt: skip
# Candidate customers, scores and the matrix: programme admins, executives, and anyone who is
# director or manager somewhere.
CANDIDATES_VIEW = _rule(
    director=OK, manager=OK, coordinator=403, team_member=403, executive=OK,
    programme_admin=OK, no_role=403, anonymous=LOGIN,
)  # fmt: skip
CANDIDATES_SCORE = {**CANDIDATES_VIEW, "executive": 403}
CANDIDATES_SELECT = {**CANDIDATES_SCORE, "manager": 403}
# De-selecting or re-classifying a key account: its director, or a programme admin.
ACCOUNT_DIRECTOR_OR_ADMIN = {**ACCOUNT_APPROVE, "programme_admin": OK}
# Restoring a deleted item from an account's history: its director only (programme admins
# read the history but do not change an account's content).
HISTORY_RESTORE = {**ACCOUNT_APPROVE, "programme_admin": 403}
# Programme-level settings only programme admins change.
PROGRAMME_ADMIN = _rule(
    director=403, manager=403, coordinator=403, team_member=403, executive=403,
    programme_admin=OK, no_role=403, anonymous=LOGIN,
)  # fmt: skip
# The programme's change history: programme admins and executives read it; not about one
# account, so everyone else gets 403.
PROGRAMME_HISTORY = {**PROGRAMME_ADMIN, "executive": OK}
# The portfolio dashboard: directors (their accounts) and executives (all); a programme admin
# without a director role is refused like every other role.
PORTFOLIO = _rule(
    director=OK, manager=403, coordinator=403, team_member=403, executive=OK,
    programme_admin=403, no_role=403, anonymous=LOGIN,
)  # fmt: skip
# The customer workspace. The link holder's own pages: theirs only; everyone else (whatever
# their role in the app) has no workspace and gets 404.
CUSTOMER_ONLY = {**{role: 404 for role in ROLES}, "customer_link": OK}
CUSTOMER_NOT_ALLOWED = {role: 405 for role in ROLES}
# The personal link itself: the token is the key (like a calendar feed).
LINK = PUBLIC
# Inviting customers, revoking or re-sending links, holding a review with them: INVITE_CUSTOMER
# (the account's director and manager).
INVITE = ACCOUNT_EDIT

# rhythm: the bulk plan export is for directors (of at least one account) only.
DIRECTORS_ONLY = _rule(
    director=OK, manager=403, coordinator=403, team_member=403, executive=403,
    programme_admin=403, no_role=403, anonymous=LOGIN,
)  # fmt: skip
# rhythm: one director's export (the matrix's belongs to the account's director); anyone
# else, whatever their role, gets 404.
OWN_EXPORT = {**OWN_ONLY, "director": OK, "manager": 404}

# Single sign-on's start and the provider's callback (kam/sso.py) are public endpoints: anyone,
# signed in or not, may start a sign-on or come back from the provider (the callback checks the
# state, nonce and PKCE verifier this browser's session holds). With single sign-on off, as in
# this matrix, both answer 404 to everyone; tests/sso/ covers them switched on.
SSO_OFF = {role: 404 for role in ROLES}

TABLE = {
    # kam
    "home": (ANY_USER, NOT_ALLOWED),
    "healthz": (PUBLIC, PUBLIC_NOT_ALLOWED),
    "login": (PUBLIC, PUBLIC),
    "logout": (PUBLIC_NOT_ALLOWED, {role: LOGIN for role in ROLES}),
    "password_change": (ANY_USER, ANY_USER),
    "password_change_done": (ANY_USER, NOT_ALLOWED),
    "password_reset": (PUBLIC, PUBLIC),
    "password_reset_done": (PUBLIC, PUBLIC_NOT_ALLOWED),
    "password_reset_confirm": (PUBLIC, PUBLIC),
    "password_reset_complete": (PUBLIC, PUBLIC_NOT_ALLOWED),
    "oidc_authentication_init": (SSO_OFF, {**PUBLIC_NOT_ALLOWED, "customer_link": 404}),
    "oidc_authentication_callback": (SSO_OFF, {**PUBLIC_NOT_ALLOWED, "customer_link": 404}),
    # accounts
    "accounts:account_list": (ANY_USER, NOT_ALLOWED),
    # each user's own settings (their language)
    "accounts:user_settings": (ANY_USER, ANY_USER),
    "accounts:account_detail": (ACCOUNT_VIEW, NOT_ALLOWED),
    # strategy
    "strategy:strategy": (ANY_USER, NOT_ALLOWED),
    "strategy:programme_edit": (PROGRAMME_ADMIN, PROGRAMME_ADMIN),
    "strategy:roadmap_add": (PROGRAMME_ADMIN, PROGRAMME_ADMIN),
    "strategy:roadmap_edit": (PROGRAMME_ADMIN, PROGRAMME_ADMIN),
    "strategy:roadmap_delete": (NOT_ALLOWED, PROGRAMME_ADMIN),
    "strategy:criteria": (ANY_USER, NOT_ALLOWED),
    "strategy:matrix_settings": (NOT_ALLOWED, PROGRAMME_ADMIN),
    "strategy:criterion_add": (PROGRAMME_ADMIN, PROGRAMME_ADMIN),
    "strategy:criterion_edit": (PROGRAMME_ADMIN, PROGRAMME_ADMIN),
    "strategy:criterion_archive": (NOT_ALLOWED, PROGRAMME_ADMIN),
    "strategy:criterion_delete": (NOT_ALLOWED, PROGRAMME_ADMIN),
    "strategy:customer_list": (CANDIDATES_VIEW, NOT_ALLOWED),
    "strategy:customer_export": (CANDIDATES_VIEW, NOT_ALLOWED),
    "strategy:customer_add": (PROGRAMME_ADMIN, PROGRAMME_ADMIN),
    "strategy:customer_import": (PROGRAMME_ADMIN, PROGRAMME_ADMIN),
    "strategy:customer_import_confirm": (NOT_ALLOWED, PROGRAMME_ADMIN),
    "strategy:customer_detail": (CANDIDATES_VIEW, NOT_ALLOWED),
    "strategy:customer_edit": (PROGRAMME_ADMIN, PROGRAMME_ADMIN),
    # Webhooks and CRM exchange: programme-wide data, programme admins only.
    "integrations:index": (PROGRAMME_ADMIN, NOT_ALLOWED),
    "integrations:webhook_add": (PROGRAMME_ADMIN, PROGRAMME_ADMIN),
    "integrations:webhook_detail": (PROGRAMME_ADMIN, NOT_ALLOWED),
    "integrations:webhook_edit": (PROGRAMME_ADMIN, PROGRAMME_ADMIN),
    "integrations:webhook_rotate": (NOT_ALLOWED, PROGRAMME_ADMIN),
    "integrations:delivery_resend": (NOT_ALLOWED, PROGRAMME_ADMIN),
    "integrations:import_start": (PROGRAMME_ADMIN, PROGRAMME_ADMIN),
    "integrations:import_detail": (PROGRAMME_ADMIN, NOT_ALLOWED),
    "integrations:import_confirm": (NOT_ALLOWED, PROGRAMME_ADMIN),
    "integrations:import_failed_rows": (PROGRAMME_ADMIN, NOT_ALLOWED),
    "integrations:export": (PROGRAMME_ADMIN, NOT_ALLOWED),
    "strategy:customer_score": (CANDIDATES_SCORE, CANDIDATES_SCORE),
    "strategy:customer_select": (CANDIDATES_SELECT, CANDIDATES_SELECT),
    "strategy:account_deselect": (ACCOUNT_DIRECTOR_OR_ADMIN, ACCOUNT_DIRECTOR_OR_ADMIN),
    "strategy:account_reclassify": (ACCOUNT_DIRECTOR_OR_ADMIN, ACCOUNT_DIRECTOR_OR_ADMIN),
    "strategy:matrix": (CANDIDATES_VIEW, NOT_ALLOWED),
    # discovery
    "discovery:index": (ANY_USER, NOT_ALLOWED),
    "discovery:profile": (ACCOUNT_VIEW, NOT_ALLOWED),
    "discovery:section_edit": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "discovery:ratio_create": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "discovery:ratio_edit": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "discovery:ratio_delete": (NOT_ALLOWED, ACCOUNT_EDIT),
    "discovery:competitor_create": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "discovery:competitor_edit": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "discovery:competitor_delete": (NOT_ALLOWED, ACCOUNT_EDIT),
    "discovery:stakeholders": (ACCOUNT_VIEW, NOT_ALLOWED),
    "discovery:stakeholder_map": (ACCOUNT_VIEW, NOT_ALLOWED),
    "discovery:stakeholder_create": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "discovery:stakeholder_edit": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "discovery:stakeholder_archive": (NOT_ALLOWED, ACCOUNT_EDIT),
    "discovery:stakeholder_restore": (NOT_ALLOWED, ACCOUNT_EDIT),
    "discovery:interviews": (ACCOUNT_VIEW, NOT_ALLOWED),
    "discovery:interview_create": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "discovery:interview_detail": (ACCOUNT_VIEW, NOT_ALLOWED),
    "discovery:interview_edit": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "discovery:idea_add": (NOT_ALLOWED, ACCOUNT_EDIT),
    "discovery:idea_delete": (NOT_ALLOWED, ACCOUNT_EDIT),
    "discovery:relationship": (ACCOUNT_VIEW, NOT_ALLOWED),
    "discovery:relationship_update": (NOT_ALLOWED, ACCOUNT_EDIT),
    "discovery:profitability": (ACCOUNT_VIEW, NOT_ALLOWED),
    "discovery:year_create": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "discovery:year_edit": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "discovery:year_delete": (NOT_ALLOWED, ACCOUNT_EDIT),
    "discovery:lifetime_value_edit": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    # planning
    "planning:index": (ANY_USER, NOT_ALLOWED),
    "planning:plan_pdf": (ACCOUNT_VIEW, NOT_ALLOWED),
    "planning:plan": (ACCOUNT_VIEW, NOT_ALLOWED),
    "planning:plan_start": (NOT_ALLOWED, ACCOUNT_EDIT),
    "planning:submit": (NOT_ALLOWED, ACCOUNT_EDIT),
    "planning:approve": (NOT_ALLOWED, ACCOUNT_APPROVE),
    "planning:return": (NOT_ALLOWED, ACCOUNT_APPROVE),
    "planning:versions": (ACCOUNT_VIEW, NOT_ALLOWED),
    "planning:version_compare": (ACCOUNT_VIEW, NOT_ALLOWED),
    "planning:version": (ACCOUNT_VIEW, NOT_ALLOWED),
    "planning:review_snapshot": (ACCOUNT_VIEW, NOT_ALLOWED),
    "planning:section_save": (NOT_ALLOWED, ACCOUNT_EDIT),
    "planning:item_add": (NOT_ALLOWED, ACCOUNT_EDIT),
    "planning:item_add_to": (NOT_ALLOWED, ACCOUNT_EDIT),
    "planning:item_edit": (NOT_ALLOWED, ACCOUNT_EDIT),
    "planning:item_remove": (ACCOUNT_EDIT, ACCOUNT_EDIT),  # GET asks, POST confirms
    # notifications (each user sees and marks only their own)
    "notifications:index": (ANY_USER, NOT_ALLOWED),
    "notifications:read_all": (NOT_ALLOWED, ANY_USER),
    "notifications:read": (NOT_ALLOWED, OWN_ONLY),
    # delivery
    "delivery:index": (ANY_USER, NOT_ALLOWED),
    "delivery:calendar_settings": (ANY_USER, NOT_ALLOWED),
    "delivery:calendar_create": (NOT_ALLOWED, ANY_USER),
    "delivery:calendar_revoke": (NOT_ALLOWED, ANY_USER),
    "delivery:calendar_feed": (  # the secret token is the key
        {**PUBLIC, "customer_link": 404},
        {**PUBLIC_NOT_ALLOWED, "customer_link": 404},
    ),
    # personal API tokens (each user sees and revokes only their own)
    "api:tokens": (ANY_USER, NOT_ALLOWED),
    "api:token_create": (NOT_ALLOWED, ANY_USER),
    "api:token_revoke": (NOT_ALLOWED, OWN_ONLY),
    "delivery:action_detail": (ACCOUNT_VIEW, NOT_ALLOWED),
    "delivery:action_progress": (NOT_ALLOWED, ACCOUNT_PROGRESS),
    "delivery:account_meetings": (ACCOUNT_VIEW, NOT_ALLOWED),
    "delivery:meeting_create": (ACCOUNT_SCHEDULE, ACCOUNT_SCHEDULE),
    "delivery:meeting_detail": (ACCOUNT_VIEW, NOT_ALLOWED),
    "delivery:meeting_edit": (ACCOUNT_SCHEDULE, ACCOUNT_SCHEDULE),
    "delivery:meeting_notes": (NOT_ALLOWED, ACCOUNT_SCHEDULE),
    "delivery:meeting_follow_up": (NOT_ALLOWED, ACCOUNT_SCHEDULE),
    "delivery:meeting_cancel": (NOT_ALLOWED, ACCOUNT_SCHEDULE),
    "delivery:meeting_ics": (ACCOUNT_VIEW, NOT_ALLOWED),
    "delivery:account_quotes": (ACCOUNT_VIEW, NOT_ALLOWED),
    "delivery:quote_create": (ACCOUNT_SCHEDULE, ACCOUNT_SCHEDULE),
    "delivery:quote_detail": (ACCOUNT_VIEW, NOT_ALLOWED),
    "delivery:quote_edit": (ACCOUNT_SCHEDULE, ACCOUNT_SCHEDULE),
    "delivery:quote_approve": (NOT_ALLOWED, ACCOUNT_APPROVE),
    "delivery:quote_refuse": (NOT_ALLOWED, ACCOUNT_APPROVE),
    "delivery:quote_status": (NOT_ALLOWED, ACCOUNT_SCHEDULE),
    "delivery:quote_renew": (NOT_ALLOWED, ACCOUNT_SCHEDULE),
    "delivery:quote_pdf": (ACCOUNT_VIEW, NOT_ALLOWED),
    "delivery:progress": (ACCOUNT_VIEW, NOT_ALLOWED),
    "delivery:check_in_create": (NOT_ALLOWED, ACCOUNT_SCHEDULE),
    # Applying a check-in's proposed status is the account team's decision on the opportunity.
    "delivery:check_in_apply": (NOT_ALLOWED, ACCOUNT_EDIT),
    "delivery:measurement_create": (NOT_ALLOWED, ACCOUNT_SCHEDULE),
    "delivery:timeline": (ACCOUNT_VIEW, NOT_ALLOWED),
    "delivery:comment_create": (NOT_ALLOWED, ACCOUNT_MEMBER),
    # outcomes: value delivered (the account's editors) and customer issues (editors log them;
    # the issue's owner, here the team member, updates it too)
    "outcomes:value_list": (ACCOUNT_VIEW, NOT_ALLOWED),
    "outcomes:value_create": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "outcomes:value_edit": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "outcomes:value_confirm": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "outcomes:value_delete": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "outcomes:issue_list": (ACCOUNT_VIEW, NOT_ALLOWED),
    "outcomes:issue_create": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "outcomes:issue_edit": (ISSUE_UPDATE, ISSUE_UPDATE),
    # organisation
    "organisation:index": (ANY_USER, NOT_ALLOWED),
    "organisation:team": (TEAM_VIEW, NOT_ALLOWED),
    "organisation:team_add": (NOT_ALLOWED, TEAM_EDIT),
    "organisation:team_change": (TEAM_EDIT, TEAM_EDIT),
    "organisation:team_remove": (NOT_ALLOWED, TEAM_EDIT),
    "organisation:sponsor_set": (NOT_ALLOWED, TEAM_EDIT),
    "organisation:manager_profile": (MANAGER_PROFILE, NOT_ALLOWED),
    "organisation:manager_assess": (MANAGER_ASSESS, MANAGER_ASSESS),
    "organisation:allocation": (DIRECTORS, NOT_ALLOWED),
    "organisation:reassign": (TEAM_EDIT, TEAM_EDIT),
    "organisation:job_specs": (ANY_USER, NOT_ALLOWED),
    "organisation:job_spec_edit": (PROGRAMME_ADMIN, PROGRAMME_ADMIN),
    "organisation:mentoring_list": (ANY_USER, NOT_ALLOWED),
    "organisation:mentoring_new": (
        {**DIRECTORS, "programme_admin": 403},
        {**DIRECTORS, "programme_admin": 403},
    ),
    "organisation:mentoring_detail": (MENTORING_SESSION, NOT_ALLOWED),
    "organisation:mentoring_step_action": (NOT_ALLOWED, MENTORING_DIRECTOR),
    "organisation:handbook": (ROLE_HOLDERS, NOT_ALLOWED),
    "organisation:handbook_pdf": (ROLE_HOLDERS, NOT_ALLOWED),
    # opportunities
    "opportunities:index": (ANY_USER, NOT_ALLOWED),
    "opportunities:pipeline_csv": (ANY_USER, NOT_ALLOWED),
    "opportunities:idea_convert": (NOT_ALLOWED, ACCOUNT_EDIT),
    "opportunities:offering_list": (ANY_USER, NOT_ALLOWED),
    "opportunities:offering_create": (PROGRAMME_ADMIN, PROGRAMME_ADMIN),
    "opportunities:offering_edit": (PROGRAMME_ADMIN, PROGRAMME_ADMIN),
    "opportunities:offering_archive": (NOT_ALLOWED, PROGRAMME_ADMIN),
    # Everyone reads the price list (quotes use it); programme admins add prices.
    "opportunities:offering_prices": (ANY_USER, PROGRAMME_ADMIN),
    "opportunities:account_opportunities": (ACCOUNT_VIEW, NOT_ALLOWED),
    "opportunities:account_csv": (ACCOUNT_VIEW, NOT_ALLOWED),
    "opportunities:opportunity_create": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "opportunities:opportunity_detail": (ACCOUNT_VIEW, NOT_ALLOWED),
    "opportunities:opportunity_edit": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "opportunities:opportunity_decide": (NOT_ALLOWED, ACCOUNT_EDIT),
    "opportunities:workshop_list": (ACCOUNT_VIEW, NOT_ALLOWED),
    "opportunities:workshop_create": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "opportunities:workshop_detail": (ACCOUNT_VIEW, NOT_ALLOWED),
    "opportunities:workshop_edit": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "opportunities:white_space": (ACCOUNT_VIEW, NOT_ALLOWED),
    "opportunities:unit_create": (NOT_ALLOWED, ACCOUNT_EDIT),
    "opportunities:unit_edit": (ACCOUNT_EDIT, ACCOUNT_EDIT),
    "opportunities:unit_delete": (NOT_ALLOWED, ACCOUNT_EDIT),
    "opportunities:cell_set": (NOT_ALLOWED, ACCOUNT_EDIT),
    "opportunities:cell_opportunity": (NOT_ALLOWED, ACCOUNT_EDIT),
    # portfolio
    "portfolio:dashboard": (PORTFOLIO, NOT_ALLOWED),
    "portfolio:health_csv": (PORTFOLIO, NOT_ALLOWED),
    "portfolio:performance_csv": (PORTFOLIO, NOT_ALLOWED),
    "portfolio:targets_csv": (PORTFOLIO, NOT_ALLOWED),
    "portfolio:dashboard_pdf": (PORTFOLIO, NOT_ALLOWED),
    # audit
    "audit:account_history": (ACCOUNT_DIRECTOR_OR_ADMIN, NOT_ALLOWED),
    "audit:restore": (NOT_ALLOWED, HISTORY_RESTORE),
    # Undo one's own deletion from the plan editor: whoever may edit the plan.
    "audit:undo_removal": (NOT_ALLOWED, ACCOUNT_EDIT),
    "audit:programme_history": (PROGRAMME_HISTORY, NOT_ALLOWED),
    # rhythm
    "rhythm:reviews": (ACCOUNT_VIEW, NOT_ALLOWED),
    "rhythm:review": (ACCOUNT_VIEW, NOT_ALLOWED),
    "rhythm:review_complete": (NOT_ALLOWED, ACCOUNT_EDIT),
    "rhythm:digest": (ANY_USER, NOT_ALLOWED),
    "rhythm:digest_settings": (ANY_USER, ANY_USER),
    "rhythm:exports": (DIRECTORS_ONLY, NOT_ALLOWED),
    "rhythm:export_create": (NOT_ALLOWED, DIRECTORS_ONLY),
    "rhythm:export": (OWN_EXPORT, NOT_ALLOWED),
    "rhythm:export_download": (OWN_EXPORT, NOT_ALLOWED),
    "rhythm:annual_review": (PROGRAMME_ADMIN, NOT_ALLOWED),
    "rhythm:annual_review_complete": (NOT_ALLOWED, PROGRAMME_ADMIN),
    "rhythm:job_runs": (PROGRAMME_ADMIN, NOT_ALLOWED),
    "rhythm:job_runs_start": (NOT_ALLOWED, PROGRAMME_ADMIN),
    # workspace: the customer's side
    "workspace:enter": (LINK, PUBLIC_NOT_ALLOWED),
    "workspace:home": (CUSTOMER_ONLY, CUSTOMER_NOT_ALLOWED),
    "workspace:action_tick": (CUSTOMER_NOT_ALLOWED, CUSTOMER_ONLY),
    "workspace:comment": (CUSTOMER_NOT_ALLOWED, CUSTOMER_ONLY),
    "workspace:accept": (CUSTOMER_NOT_ALLOWED, CUSTOMER_ONLY),
    "workspace:review_answer": (CUSTOMER_ONLY, CUSTOMER_ONLY),
    "workspace:value_confirm": (CUSTOMER_NOT_ALLOWED, CUSTOMER_ONLY),
    "workspace:proposals": (CUSTOMER_ONLY, CUSTOMER_ONLY),
    "workspace:proposal_withdraw": (CUSTOMER_NOT_ALLOWED, CUSTOMER_ONLY),
    "workspace:page_language": (CUSTOMER_NOT_ALLOWED, CUSTOMER_ONLY),
    "workspace:leave": (PUBLIC_NOT_ALLOWED, PUBLIC),
    # workspace: the team's side
    "workspace_team:invitations": (INVITE, INVITE),
    "workspace_team:invitation_revoke": (NOT_ALLOWED, INVITE),
    "workspace_team:invitation_resend": (NOT_ALLOWED, INVITE),
    "workspace_team:satisfaction": (ACCOUNT_VIEW, NOT_ALLOWED),
    # customer proposals: everyone who sees the account reads them; who edits its
    # opportunities (EDIT) accepts or declines them
    "workspace_team:proposals": (ACCOUNT_VIEW, NOT_ALLOWED),
    "workspace_team:proposal": (ACCOUNT_VIEW, NOT_ALLOWED),
    "workspace_team:proposal_decide": (NOT_ALLOWED, ACCOUNT_EDIT),
    "workspace_team:joint_review": (INVITE, INVITE),
    "workspace_team:questions": (PROGRAMME_ADMIN, PROGRAMME_ADMIN),
    "workspace_team:question_edit": (PROGRAMME_ADMIN, PROGRAMME_ADMIN),
}

# URLs whose arguments are not objects of an account: fixed values to call them with.
STATIC_KWARGS = {
    "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
}
