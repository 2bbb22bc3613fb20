"""common.addresses: an address reversed once per process is the address `reverse()` gives."""

from django.test import override_settings
from django.urls import reverse, set_script_prefix

from common.addresses import address


def test_an_address_is_what_reverse_gives():
    for name in ("accounts:account_detail", "planning:plan", "discovery:profitability"):
        for pk in (1, 42, 1234567):
            assert address(name, pk) == reverse(name, args=[pk])


def test_an_address_follows_the_script_prefix():
    assert address("planning:plan", 7) == "/accounts/7/plan/"
    set_script_prefix("/kam/")
    try:
        assert address("planning:plan", 7) == "/kam/accounts/7/plan/"
    finally:
        set_script_prefix("/")
    assert address("planning:plan", 7) == "/accounts/7/plan/"


@override_settings(ROOT_URLCONF="bench.urls")
def test_an_overridden_urlconf_gets_its_own_addresses():
    assert address("accounts:account_detail", 3) == reverse("accounts:account_detail", args=[3])


def test_an_address_of_two_ids_is_what_reverse_gives():
    for first, second in ((1, 2), (42, 7), (1234567, 89)):
        assert address("delivery:action_detail", first, second) == reverse(
            "delivery:action_detail", args=[first, second]
        )
