import io
import zipfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from rhythm import services
from rhythm.models import PlanExport
from tests.html_checks import page_problems

from ..factories import AccountPlanFactory, KeyAccountFactory, MembershipFactory


def _second_account(people):
    account = KeyAccountFactory(customer__name="Alpenmilch AG")
    MembershipFactory(user=people.director, key_account=account, role="director")
    AccountPlanFactory(key_account=account, period="FY2027")
    return account


def _request_export(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rhythm:export_create"))
    assert response.status_code == 302
    return PlanExport.objects.get()


def _download(client, export):
    response = client.get(reverse("rhythm:export_download", args=[export.pk]))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_director_gets_a_zip_with_one_pdf_per_account_they_direct(
    client_for, people, plan, other_plan, django_capture_on_commit_callbacks
):
    _second_account(people)
    client = client_for(people.director)
    export = _request_export(client, django_capture_on_commit_callbacks)
    assert (export.status, export.done, export.total) == ("ready", 2, 2)
    assert export.file_name.startswith("exports/") and len(Path(export.file_name).stem) >= 40
    archive = _download(client, export)
    assert sorted(archive.namelist()) == ["alpenmilch-ag.pdf", "northwind-foods.pdf"]
    for name, account in (
        ("northwind-foods.pdf", "Northwind Foods"),
        ("alpenmilch-ag.pdf", "Alpenmilch AG"),
    ):
        reader = PdfReader(io.BytesIO(archive.read(name)))
        assert account in reader.pages[0].extract_text()
    page = client.get(reverse("rhythm:export", args=[export.pk])).content.decode()
    assert not page_problems(page)
    assert "2 plan PDFs ready" in page and 'http-equiv="refresh"' not in page


def test_the_export_is_refused_to_everyone_else(
    client_for, people, plan, django_capture_on_commit_callbacks
):
    export = _request_export(client_for(people.director), django_capture_on_commit_callbacks)
    for user in (people.manager, people.other_director, people.executive, people.programme_admin):
        client = client_for(user)
        assert client.get(reverse("rhythm:export", args=[export.pk])).status_code == 404
        assert client.get(reverse("rhythm:export_download", args=[export.pk])).status_code == 404


def test_after_24_hours_the_download_is_gone_and_cleanup_deletes_the_file(
    client_for, people, plan, django_capture_on_commit_callbacks
):
    client = client_for(people.director)
    export = _request_export(client, django_capture_on_commit_callbacks)
    path = Path(settings.MEDIA_ROOT) / export.file_name
    assert path.is_file()
    PlanExport.objects.filter(pk=export.pk).update(
        finished_at=timezone.now() - timedelta(hours=24, minutes=1)
    )
    response = client.get(reverse("rhythm:export_download", args=[export.pk]))
    assert response.status_code == 410
    assert services.exports_cleanup() == {"expired": 1, "abandoned": 0, "leftovers_deleted": 0}
    assert not path.exists()
    export.refresh_from_db()
    assert export.status == "expired"
    assert client.get(reverse("rhythm:export_download", args=[export.pk])).status_code == 410
    assert services.exports_cleanup()["expired"] == 0


def test_a_fresh_export_survives_cleanup(
    client_for, people, plan, django_capture_on_commit_callbacks
):
    export = _request_export(client_for(people.director), django_capture_on_commit_callbacks)
    assert services.exports_cleanup()["expired"] == 0
    assert (Path(settings.MEDIA_ROOT) / export.file_name).is_file()


def test_progress_page_refreshes_itself_while_the_zip_is_built(client_for, people, plan):
    export = PlanExport.objects.create(
        requested_by=people.director, status="running", total=12, done=5
    )
    page = client_for(people.director).get(reverse("rhythm:export", args=[export.pk]))
    html = page.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "5 of 12" in html
    download = client_for(people.director).get(reverse("rhythm:export_download", args=[export.pk]))
    assert download.status_code == 302


def test_asking_again_while_building_returns_the_same_export(people, plan):
    first = services.plan_export_request(acting_user=people.director)
    second = services.plan_export_request(acting_user=people.director)
    assert first.pk == second.pk


def test_a_director_without_plans_is_told_there_is_nothing_to_export(client_for, people, account):
    client = client_for(people.director)
    response = client.post(reverse("rhythm:export_create"), follow=True)
    assert "nothing to export" in response.content.decode()
    assert not PlanExport.objects.exists()


def test_export_list_shows_my_exports_and_the_plan_count(client_for, people, plan):
    PlanExport.objects.create(requested_by=people.other_director, total=3)
    client = client_for(people.director)
    page = client.get(reverse("rhythm:exports")).content.decode()
    assert not page_problems(page)
    assert "Build the zip of 1 plan" in page
    assert "No exports yet." in page
