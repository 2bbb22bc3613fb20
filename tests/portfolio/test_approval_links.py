"""The director's "plans waiting for approval" links open the plan at its approval form (the
workflow box with Approve and Return), on the home page and on the dashboard (issue 17)."""

from django.urls import reverse

from planning.models import AccountPlan


def test_home_and_dashboard_link_to_the_plan_at_its_approval_form(client_for, people, portfolio):
    baltic_plan = AccountPlan.objects.get(key_account=portfolio.baltic, is_current=True)
    assert baltic_plan.status == "submitted"
    target = reverse("planning:plan", args=[portfolio.baltic.pk]) + "#workflow"
    client = client_for(people.director)
    home = client.get("/").content.decode()
    waiting = home[home.index("Plans waiting for your approval") :]
    waiting = waiting[: waiting.index("</div>")]
    assert f'href="{target}">Baltic Marine' in waiting
    assert portfolio.baltic.get_absolute_url() + '"' not in waiting
    dashboard = client.get(reverse("portfolio:dashboard")).content.decode()
    assert f'href="{target}">Baltic Marine' in dashboard
    # The anchor is the box that holds the Approve button.
    plan_page = client.get(target.split("#")[0]).content.decode()
    workflow = plan_page[plan_page.index('id="workflow"') :]
    assert workflow.index("Approve and freeze a version") < workflow.index('class="col-lg-5"')
