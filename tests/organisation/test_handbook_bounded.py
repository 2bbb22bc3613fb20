"""The programme handbook stays bounded with every programme text and job specification at its
limits (a 100,000-character programme text made 267 pages; 5,000 one-character lines per field
made 530): characters (common.limits.TEXT_MAX_CHARS) and lines (LIST_MAX_LINES) are both
refused above the limit, with the text kept."""

import io

from pypdf import PdfReader

from accounts.models import Programme
from common.limits import LIST_MAX_LINES, TEXT_MAX_CHARS
from organisation.models import JobSpecification
from tests.strategy.test_programme_edit import URL, programme_post


def _at_the_limits() -> str:
    """LIST_MAX_LINES lines that together fill TEXT_MAX_CHARS characters."""
    width = TEXT_MAX_CHARS // LIST_MAX_LINES - 1
    line = ("Grow the account with the customer's own teams " * 4)[:width]
    return "\n".join([line] * LIST_MAX_LINES)


def test_the_handbook_at_every_limit_is_a_few_dozen_pages(client_for, people, account):
    text = _at_the_limits()
    assert len(text) <= TEXT_MAX_CHARS
    programme = Programme.ensure()
    programme.rationale = programme.business_strategy = programme.objectives = text
    programme.full_clean()
    programme.save()
    for role in JobSpecification.ROLES:
        spec = JobSpecification.objects.filter(role=role).first() or JobSpecification(role=role)
        spec.purpose = spec.skills = spec.day_to_day = spec.long_term = text
        spec.full_clean()
        spec.save()
    assert JobSpecification.objects.count() == len(JobSpecification.ROLES)
    response = client_for(people.programme_admin).get("/handbook.pdf")
    assert response.status_code == 200
    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    assert pages <= 40, pages


def test_one_line_more_than_the_limit_is_refused_with_the_text_kept(client_for, people):
    programme = Programme.ensure()
    objectives = "\n".join(f"Objective {n}" for n in range(LIST_MAX_LINES + 1))
    response = client_for(people.programme_admin).post(
        URL, programme_post(programme, objectives=objectives)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"At most {LIST_MAX_LINES} lines (this has {LIST_MAX_LINES + 1})" in page
    assert f"Objective {LIST_MAX_LINES}</textarea>" in page
    programme.refresh_from_db()
    assert programme.objectives != objectives
