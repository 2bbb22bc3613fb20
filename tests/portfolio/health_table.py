"""Reading the dashboard's plan health table as its reader does: a row's cells by column, and
the lines of a cell that holds several figures (selectors.dashboard.TABLE_COLUMNS)."""

import re

from portfolio.selectors.dashboard import TABLE_COLUMNS

# Each column by its first sort key: "account", "director" (the team), "class", "plan",
# "overdue", "on_track" (the targets), "cadence" (with satisfaction), "health", "value",
# "issues".
COLUMNS = [keys[0] for keys, _css in TABLE_COLUMNS]


def row_cells(html: str, name: str) -> dict[str, str]:
    """The inner HTML of each cell of the row of account `name` (escaped as on the page)."""
    row = html[html.index(f">{name}</a><br>") :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", "<td>" + row, flags=re.S)
    return dict(zip(COLUMNS, cells, strict=True))


def lines(cell: str) -> list[str]:
    """The lines of a cell, as HTML."""
    return cell.split("<br>")


def text(html: str) -> str:
    """What a screen shows of `html` (visually hidden words left out), spaces collapsed."""
    shown = re.sub(r'<span class="visually-hidden">.*?</span>|<[^>]+>', " ", html)
    return " ".join(shown.split())
