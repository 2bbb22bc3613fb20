"""Chart labels of money round halves up, as every other figure on the pages: the demo's
Helios cost to serve of EUR 640,500 read "640 k" on its profitability chart (round() rounds
halves to even), and a sum just under a million read "1,000 k"."""

from decimal import Decimal

import pytest
from django.utils import translation

from common.formats import compact


@pytest.mark.parametrize(
    "value, label",
    [
        (Decimal("640500"), "641 k"),  # 640.5 thousand, half up
        (Decimal("615867"), "616 k"),
        (999_600, "1 M"),  # 999.6 k rounds to a thousand thousands: the next unit
        (Decimal("999.5"), "1 k"),
        (1_950_000, "2 M"),  # 1.95 M, half up to 2.0
        (2_449_999, "2.4 M"),
        (14_600_000, "14.6 M"),
        (2_500_000_000, "2.5 bn"),
        (-250_000, "−250 k"),
        (0, "0"),
    ],
)
def test_compact_labels_round_halves_up(value, label):
    with translation.override("en"):
        assert compact(value) == label


def test_compact_labels_in_french():
    with translation.override("fr"):
        assert compact(Decimal("640500")) == "641 k"
        assert compact(2_500_000_000) == "2,5 Md"
