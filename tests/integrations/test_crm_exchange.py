"""CRM exchange: a Salesforce-shaped export with a parent account and a reporting chain goes in,
and what people see afterwards (the customer pages, the stakeholders' org chart) follows it; a
second import changes nothing; the preview writes nothing; failed rows come back as CSV with
their reasons; exports come out in the same shape and import again unchanged."""

import csv
import io
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import Customer, Role
from discovery.models import Stakeholder
from integrations import tasks
from integrations.models import ExternalRef, ImportRun
from opportunities.models import Opportunity
from planning.models import Measurement
from tests import factories as f

ACCOUNTS = """Id,Name,ParentId,Industry,BillingCountry,AnnualRevenue
001A000001,Globex Holdings,,Conglomerate,Switzerland,90000000
001A000002,Globex Foods GmbH,001A000001,Food manufacturing,Germany,12000000
001A000003,Initech,,Software,United States,
"""
CONTACTS = """Id,AccountId,FirstName,LastName,Title,Email,ReportsToId
003A000003,001A000002,Cy,Coder,Buyer,cy@globex.example,003A000002
003A000001,001A000002,Ada,Lovelace,Chief executive,ada@globex.example,
003A000002,001A000002,Ben,Byte,Head of purchasing,ben@globex.example,003A000001
003A000004,001A000003,Ida,Initech,CTO,ida@initech.example,
003A000005,001A000002,Eve,Broken,Analyst,not-an-address,
003A000006,001A000099,Ned,Nobody,Clerk,,
"""
CLOSE = (timezone.localdate() + timedelta(days=120)).isoformat()
OPPORTUNITIES = f"""Id,AccountId,Name,Amount,StageName,CloseDate,Probability
006A000001,001A000002,Cold-chain upgrade,250000,Prospecting,{CLOSE},20
006A000002,001A000002,Private label range,80000.50,Closed Won,{CLOSE},100
006A000003,001A000002,Bad amount,lots,Prospecting,{CLOSE},10
"""


def upload(client, text, *, object_type, source="salesforce", name="export.csv"):
    response = client.post(
        reverse("integrations:import_start"),
        {
            "source": source,
            "object_type": object_type,
            "file": SimpleUploadedFile(name, text.encode(), content_type="text/csv"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportRun.objects.latest("pk")


def apply(client, run):
    response = client.post(reverse("integrations:import_confirm", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLIED
    return run


def import_file(client, text, **kwargs):
    return apply(client, upload(client, text, **kwargs))


class OrgChart(HTMLParser):
    """{name: manager's name or None} from the stakeholder map's nested org-chart list."""

    def __init__(self):
        super().__init__()
        self.stack, self.managers, self.in_chart, self.depth = [], {}, False, 0
        self.in_strong = False

    def handle_starttag(self, tag, attrs):
        if tag == "ul" and ("class", "org-chart") in attrs:
            self.in_chart, self.depth = True, 0
        if not self.in_chart:
            return
        if tag == "ul":
            self.depth += 1
        elif tag == "li":
            self.stack.append(None)
        elif tag == "strong":
            self.in_strong = True

    def handle_endtag(self, tag):
        if not self.in_chart:
            return
        if tag == "strong":
            self.in_strong = False
        elif tag == "li":
            self.stack.pop()
        elif tag == "ul":
            self.depth -= 1
            if self.depth == 0:
                self.in_chart = False

    def handle_data(self, data):
        if self.in_chart and self.in_strong and self.stack and self.stack[-1] is None:
            self.stack[-1] = data.strip()
            above = [n for n in self.stack[:-1] if n]
            self.managers[data.strip()] = above[-1] if above else None


@pytest.fixture
def admin_client(client, people):
    client.force_login(people.programme_admin)
    return client


def make_key_account(people, customer):
    account = f.KeyAccountFactory(customer=customer)
    f.MembershipFactory(user=people.director, key_account=account, role=Role.DIRECTOR)
    f.MembershipFactory(user=people.manager, key_account=account, role=Role.MANAGER)
    return account


def test_salesforce_round_trip_builds_the_group_and_the_org_chart(admin_client, people, client):
    run = import_file(admin_client, ACCOUNTS, object_type="account")
    assert run.result["counts"] == {"create": 3, "update": 0, "unchanged": 0, "failed": 0}
    foods = Customer.objects.get(reference="001A000002")
    holdings = Customer.objects.get(reference="001A000001")
    assert foods.parent == holdings and foods.sector == "Food manufacturing"
    assert foods.country == "DE" and foods.country.name == "Germany"
    # AnnualRevenue is the customer's own turnover, not revenue with us: not imported.
    assert foods.annual_revenue == Decimal("0")
    account = make_key_account(people, foods)

    contacts = import_file(admin_client, CONTACTS, object_type="contact")
    counts = contacts.result["counts"]
    assert counts == {"create": 3, "update": 0, "unchanged": 0, "failed": 3}
    reasons = {r["external_id"]: r["reason"]["en"] for r in contacts.result["rows"] if r["reason"]}
    assert "Initech is not a key account" in reasons["003A000004"]
    assert "not-an-address" in reasons["003A000005"]
    assert "import the accounts first" in reasons["003A000006"]
    opportunities = import_file(admin_client, OPPORTUNITIES, object_type="opportunity")
    assert opportunities.result["counts"]["create"] == 2
    assert opportunities.result["counts"]["failed"] == 1

    # The database: the chain Ada <- Ben <- Cy on the key account.
    ada, ben, cy = (
        Stakeholder.objects.get(name=n) for n in ("Ada Lovelace", "Ben Byte", "Cy Coder")
    )
    assert (ada.reports_to, ben.reports_to, cy.reports_to) == (None, ada, ben)
    assert {s.key_account_id for s in (ada, ben, cy)} == {account.pk}
    won = Opportunity.objects.get(title="Private label range")
    assert won.status == Opportunity.Status.WON and won.annual_value == Decimal("80000.50")
    assert Opportunity.objects.get(title="Cold-chain upgrade").status == "qualified"

    # What people see: the director's org chart, the customer pages.
    client.force_login(people.director)
    page = client.get(reverse("discovery:stakeholder_map", args=[account.pk])).content.decode()
    chart = OrgChart()
    chart.feed(page)
    assert chart.managers == {
        "Ada Lovelace": None,
        "Ben Byte": "Ada Lovelace",
        "Cy Coder": "Ben Byte",
    }
    client.force_login(people.programme_admin)
    text = client.get(reverse("strategy:customer_detail", args=[foods.pk])).content.decode()
    assert "Parent company" in text and "Globex Holdings" in text
    text = client.get(reverse("strategy:customer_detail", args=[holdings.pk])).content.decode()
    assert "Subsidiaries" in text and "Globex Foods GmbH" in text
    listing = client.get(reverse("strategy:customer_list")).content.decode()
    for name in ("Globex Holdings", "Globex Foods GmbH", "Initech"):
        assert name in listing

    # The same files again change nothing.
    before = (
        Customer.objects.count(),
        Stakeholder.objects.count(),
        Opportunity.objects.count(),
        ExternalRef.objects.count(),
        Customer.history.count(),
        Stakeholder.history.count(),
        Opportunity.history.count(),
    )
    for text, kind in (
        (ACCOUNTS, "account"),
        (CONTACTS, "contact"),
        (OPPORTUNITIES, "opportunity"),
    ):
        again = import_file(admin_client, text, object_type=kind)
        assert again.result["counts"]["create"] == 0
        assert again.result["counts"]["update"] == 0, again.result["rows"]
    after = (
        Customer.objects.count(),
        Stakeholder.objects.count(),
        Opportunity.objects.count(),
        ExternalRef.objects.count(),
        Customer.history.count(),
        Stakeholder.history.count(),
        Opportunity.history.count(),
    )
    assert after == before

    # Out again in Salesforce's shape, with the CRM's own ids, and in again: unchanged.
    exported = {}
    for kind in ("account", "contact", "opportunity"):
        response = admin_client.get(reverse("integrations:export", args=["salesforce", kind]))
        exported[kind] = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported["contact"])))
    by_id = {r["Id"]: r for r in rows}
    assert by_id["003A000003"]["ReportsToId"] == "003A000002"
    assert by_id["003A000003"]["AccountId"] == "001A000002"
    accounts = {r["Id"]: r for r in csv.DictReader(io.StringIO(exported["account"]))}
    assert accounts["001A000002"]["ParentId"] == "001A000001"
    assert list(accounts["001A000002"]) == ["Id", "Name", "ParentId", "Industry", "BillingCountry"]
    for kind in ("account", "contact", "opportunity"):
        again = import_file(admin_client, exported[kind], object_type=kind)
        counts = again.result["counts"]
        assert counts["create"] == counts["update"] == counts["failed"] == 0, again.result


def test_preview_shows_changes_field_by_field_and_writes_nothing(admin_client, people):
    import_file(admin_client, ACCOUNTS, object_type="account")
    changed = ACCOUNTS.replace("Germany", "Austria").replace("Initech,,Software", "Initech,,Games")
    before = (Customer.objects.count(), Customer.history.count(), ExternalRef.objects.count())
    run = upload(admin_client, changed, object_type="account")
    assert run.status == ImportRun.Status.PREVIEW
    assert (
        Customer.objects.count(),
        Customer.history.count(),
        ExternalRef.objects.count(),
    ) == before
    assert Customer.objects.get(reference="001A000002").country == "DE"
    page = admin_client.get(reverse("integrations:import_detail", args=[run.pk])).content.decode()
    assert "Country: Germany → Austria" in page
    assert "Sector: Software → Games" in page
    assert "2 to change" in page and "1 unchanged" in page
    apply(admin_client, run)
    assert Customer.objects.get(reference="001A000002").country == "AT"


def test_failed_rows_download_with_their_reasons(admin_client, people):
    import_file(admin_client, ACCOUNTS, object_type="account")
    run = upload(admin_client, CONTACTS, object_type="contact")
    response = admin_client.get(reverse("integrations:import_failed_rows", args=[run.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Line", "Reason", "Id"]
    # No key account yet: every contact fails, each with its line and reason.
    lines = {row[2]: (row[0], row[1]) for row in rows[1:]}
    assert lines["003A000001"][0] == "3"
    assert "not a key account" in lines["003A000001"][1]
    assert "import the accounts first" in lines["003A000006"][1]


def test_a_formula_in_a_crm_cell_is_escaped_in_exports(admin_client, people):
    hostile = 'Id,Name\n001X,"=HYPERLINK(""http://evil.example"")"\n'
    import_file(admin_client, hostile, object_type="account")
    response = admin_client.get(reverse("integrations:export", args=["salesforce", "account"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["001X", '\'=HYPERLINK("http://evil.example")', "", "", ""] in rows


def test_hubspot_and_dynamics_shapes(admin_client, people):
    hubspot = (
        "Record ID,Company name,Parent Company ID,Industry,Country/Region\n"
        "11,Acme,,Retail,France\n12,Acme Paris,11,Retail,France\n"
    )
    run = import_file(admin_client, hubspot, object_type="account", source="hubspot")
    assert run.result["counts"]["create"] == 2
    assert Customer.objects.get(name="Acme Paris").parent.name == "Acme"
    dynamics = (
        "accountid,name,parentaccountid,industrycode,address1_country\n"
        "6f1c2a4e-0000-4000-8000-000000000001,Umbrella,,Pharma,Japan\n"
    )
    run = import_file(admin_client, dynamics, object_type="account", source="dynamics")
    assert run.result["counts"]["create"] == 1
    # The same HubSpot id under another source is another row: ids are per CRM.
    assert ExternalRef.objects.filter(external_id="11", source="hubspot").exists()


def test_a_file_without_the_shapes_columns_is_refused_at_the_field(admin_client, people):
    response = admin_client.post(
        reverse("integrations:import_start"),
        {
            "source": "salesforce",
            "object_type": "contact",
            "file": SimpleUploadedFile("x.csv", b"Name,Email\nA,a@b.c\n"),
        },
    )
    assert response.status_code == 200
    assert "The file lacks the columns Id, AccountId, LastName" in response.content.decode()


def test_actuals_by_external_id_record_measurements_once(admin_client, people, account):
    plan = f.AccountPlanFactory(key_account=account)
    target = f.TargetFactory(objective=f.ObjectiveFactory(plan=plan), kpi="Volume shipped")
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    first = f"TargetExternalId,TargetId,Date,Actual,Comment\nKPI-7,{target.pk},{day},150,From CRM\n"
    run = import_file(admin_client, first, object_type="target")
    assert run.result["counts"]["create"] == 1
    later = f"TargetExternalId,Date,Actual\nKPI-7,{day},150\nKPI-7,{timezone.localdate()},175\n"
    run = import_file(admin_client, later, object_type="target")
    assert run.result["counts"] == {"create": 1, "update": 0, "unchanged": 1, "failed": 0}
    assert sorted(Measurement.objects.filter(target=target).values_list("actual", flat=True)) == [
        Decimal("150.00"),
        Decimal("175.00"),
    ]
    again = import_file(admin_client, later, object_type="target")
    assert again.result["counts"]["unchanged"] == 2


def test_a_large_file_is_applied_by_a_task(
    admin_client, people, settings, django_capture_on_commit_callbacks
):
    settings.KAM_IMPORT_INLINE_MAX_ROWS = 1
    run = upload(admin_client, ACCOUNTS, object_type="account")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("integrations:import_confirm", args=[run.pk]))
    run.refresh_from_db()
    # Eager in tests: the task ran after the commit.
    assert run.status == ImportRun.Status.APPLIED
    assert Customer.objects.filter(reference__startswith="001A").count() == 3


def test_a_large_file_the_task_queue_refuses_goes_back_to_its_preview(
    admin_client, people, settings, django_capture_on_commit_callbacks, monkeypatch
):
    def broker_down(*_args):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.apply_import, "delay", broker_down)
    settings.KAM_IMPORT_INLINE_MAX_ROWS = 1
    run = upload(admin_client, ACCOUNTS, object_type="account")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("integrations:import_confirm", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PREVIEW
    assert run.error == "The task queue did not answer; nothing was applied. Try again."
    assert not Customer.objects.filter(reference__startswith="001A").exists()


def test_amounts_read_as_english_and_french_spreadsheets_write_them(admin_client, people):
    """A French CRM export writes '12 500,50': the commas were dropped, so it read 1,250,050
    (a hundred times the amount). '1,250' could be either reading: refused at its row."""
    import_file(admin_client, ACCOUNTS, object_type="account")
    make_key_account(people, Customer.objects.get(reference="001A000002"))
    rows = [
        ("006B000001", "English grouping", "1,250,000.50"),
        ("006B000002", "French grouping", "12\u00a0500,50"),
        ("006B000003", "Decimal comma", "12500,50"),
        ("006B000004", "Points between thousands", "1.250.000,50"),
        ("006B000005", "Either reading", "1,250"),
    ]
    text = "Id,AccountId,Name,Amount,StageName,CloseDate,Probability\n" + "".join(
        f'{ref},001A000002,{name},"{amount}",Prospecting,{CLOSE},20\n' for ref, name, amount in rows
    )
    run = import_file(admin_client, text, object_type="opportunity")
    assert run.result["counts"]["create"] == 4 and run.result["counts"]["failed"] == 1
    values = dict(Opportunity.objects.values_list("title", "annual_value"))
    assert values["English grouping"] == Decimal("1250000.50")
    assert values["French grouping"] == Decimal("12500.50")
    assert values["Decimal comma"] == Decimal("12500.50")
    assert values["Points between thousands"] == Decimal("1250000.50")
    (failed,) = [r for r in run.result["rows"] if r["reason"]]
    assert failed["external_id"] == "006B000005"
    assert (
        "could be a whole number with a thousands comma or a decimal comma"
        in (failed["reason"]["en"])
    )
