"""Starting content every installation gets (migration 0002): the competences managers are
assessed on and a job specification per programme role, drawn from the programme's source
material (the Cranfield course summary and the eight-facet programme description).

Changing these texts affects new installations only; existing ones edit their job
specifications on the Roles page and their competences in the admin.

Each text is stored in English and shown in the reader's language while it is unchanged
(`common.default_texts`): rewording one here leaves rows that hold the old wording shown as
stored.
"""

from django.utils.translation import gettext_noop

from common.default_texts import DefaultTexts

# code, name, description
COMPETENCES = [
    (
        "strategic-thinking",
        gettext_noop("Strategic thinking and planning"),
        gettext_noop(
            "Sees the customer's future strategy in its market and turns it into a written plan."
        ),
    ),
    (
        "consultative-problem-solving",
        gettext_noop("Consultative problem solving"),
        gettext_noop("Explores the customer's business problems and shapes solutions with them."),
    ),
    (
        "financial-awareness",
        gettext_noop("Financial awareness"),
        gettext_noop(
            "Reads annual reports and ratios; knows account profitability and cost to serve."
        ),
    ),
    (
        "advanced-marketing",
        gettext_noop("Advanced marketing"),
        gettext_noop("Segments, positions and articulates value rather than discounts."),
    ),
    (
        "negotiation",
        gettext_noop("Negotiation"),
        gettext_noop("Reaches agreements that keep value on both sides of the table."),
    ),
    (
        "influencing",
        gettext_noop("Influencing across the organisation"),
        gettext_noop(
            "Gets supply chain, finance and product development to deliver for the account."
        ),
    ),
    (
        "interpersonal-skills",
        gettext_noop("Interpersonal skills"),
        gettext_noop("Builds trust from shop floor to boardroom, inside and outside."),
    ),
]

JOB_SPECS = {
    "director": {
        "purpose": gettext_noop(
            "Oversees several key accounts and their managers. Drives the key account strategy "
            "into the business, solves the problems that block it and mentors the managers."
        ),
        "skills": gettext_noop(
            "Strategic thinking and business planning at board level.\n"
            "Credibility with the customer's senior management.\n"
            "Mentoring: helps managers think strategically rather than coaching technique.\n"
            "Influence across functions to remove internal blockers.\n"
            "Financial judgement on investment in accounts."
        ),
        "day_to_day": gettext_noop(
            "Reviews account plans and value propositions with each manager.\n"
            "Opens doors to senior contacts the manager cannot reach alone.\n"
            "Resolves internal difficulties that hold back new solutions.\n"
            "Approves plans and discounts above the programme limit."
        ),
        "long_term": gettext_noop(
            "Shapes the portfolio of key accounts with the programme: selection, classification "
            "and de-selection at the annual review.\n"
            "Matches managers to accounts by skills and style; develops and recruits managers.\n"
            "Accountable for profitable growth across the accounts they direct."
        ),
    },
    "manager": {
        "purpose": gettext_noop(
            "A general manager of the customer relationship, usually dedicated to one account: "
            "a hunter inside the account who keeps increasing account share, and accountable "
            "for its long-term profitable growth."
        ),
        "skills": gettext_noop(
            "Thinks and acts strategically; takes the 'big picture' of the customer's own "
            "market and strategy.\n"
            "Consultative, problem-solving approach to selling (a problem solver on the sales "
            "grid).\n"
            "Business planning, advanced marketing and financial awareness.\n"
            "Negotiation and strong interpersonal skills.\n"
            "Coordination: gets the whole firm on the same page with the account."
        ),
        # xgettext:no-python-format
        "day_to_day": gettext_noop(
            "Owns the two-page account plan: objectives, targets, actions and the engagement "
            "plan.\n"
            "Manages relationships inside the customer and inside our own organisation.\n"
            "Turns customer data into critical information that strengthens the partnership "
            "(about 80 % of the time).\n"
            "Follows up every customer meeting."
        ),
        "long_term": gettext_noop(
            "Understands the customer's longer-term goals, decision making and influencers.\n"
            "Refreshes the value proposition as the relationship deepens; articulates value, "
            "not discounts.\n"
            "Moves the relationship up the development model and the buy–sell hierarchy.\n"
            "Delivers the plan's objectives and the account's profit over the long term."
        ),
    },
    "coordinator": {
        "purpose": gettext_noop(
            "Supports the key account manager in running the account day to day so the "
            "manager can spend time with the customer."
        ),
        "skills": gettext_noop(
            "Organised and reliable with deadlines.\n"
            "Knows our products, price lists and the one commercial policy.\n"
            "Clear written communication with customers and colleagues."
        ),
        "day_to_day": gettext_noop(
            "Sets up customer meetings, agendas and follow-up notes.\n"
            "Compiles customer quotes with head office.\n"
            "Keeps action owners in the account team on track."
        ),
        "long_term": gettext_noop(
            "Keeps the account's records complete so reviews and plans rest on facts.\n"
            "Grows towards a key account manager role."
        ),
    },
}


# What the pages compare a stored text with (Competence.shown_name, JobSpecification.shown).
COMPETENCE_TEXTS = DefaultTexts(
    text for _code, name, description in COMPETENCES for text in (name, description)
)
JOB_SPEC_TEXTS = DefaultTexts(text for texts in JOB_SPECS.values() for text in texts.values())
