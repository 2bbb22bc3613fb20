"""The product's URLs plus what only benchmarks need: a hello-world view and an admin
changelist with the same page size as our account list.

The admin tweak is applied here, when the URLconf loads (the app registry is ready then; in
bench/settings.py it is not), and only in a process started with bench.settings.
"""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from accounts.models import KeyAccount
from accounts.views import PAGE_SIZE
from kam.urls import urlpatterns as product_urlpatterns


def hello(request):
    """The cheapest Django response this stack can give: the capacity yardstick."""
    return HttpResponse(b"Hello, world\n", content_type="text/plain")


@login_required
def hello_user(request):
    """Hello-world for a logged-in person: the session and user lookups every page pays."""
    return HttpResponse(f"Hello, {request.user.username}\n".encode(), content_type="text/plain")


@login_required
def hello_page(request):
    """The app's own empty page: base.html with its navigation, context processors and
    notification badge, and nothing else. What any page of ours costs before its content."""
    return render(request, "bench/hello_page.html")


# Same rows per page as /accounts/, so that the peer comparison renders the same amount of data.
admin.site._registry[KeyAccount].list_per_page = PAGE_SIZE

urlpatterns = [
    path("bench/hello", hello, name="bench_hello"),
    path("bench/hello-user", hello_user, name="bench_hello_user"),
    path("bench/hello-page", hello_page, name="bench_hello_page"),
    *product_urlpatterns,
]
