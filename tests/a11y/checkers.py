"""The two offline checkers from npm (package.json): axe-core in the browser, the Nu HTML Checker
(vnu.jar) on saved pages. `make install` puts them in node_modules/."""

import json
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

SERIOUS = {"serious", "critical"}


# The WCAG 2.x A and AA rules (axe's best-practice rules are advice, and slow on large pages).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def serve_axe(context) -> None:
    """Every page this browser context opens gets axe-core before its own scripts (an init
    script, sent to the browser once). Loading it per page through a route sent its 650 kB
    through Playwright's pipe again for each of ~150 pages."""
    context.add_init_script(path=str(AXE))


def axe_findings(page, *, within: str | None = None, rules: list[str] | None = None) -> list[str]:
    """Serious and critical axe violations on the page the browser shows, one line per node;
    only inside the elements `within` selects when the page has any. With `rules`, only those
    axe rules run (a second look at a page in another layout costs a fraction of a full run)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))  # a context that serve_axe did not prepare
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_TAGS}
    result = page.evaluate(
        "([within, runOnly]) => axe.run(within && document.querySelector(within)"
        " ? {include: [[within]]} : document, {resultTypes: ['violations'], runOnly})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))})))",
        [within, run_only],
    )
    lines = []
    for violation in result:
        if violation["impact"] not in SERIOUS:
            continue
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())[:200]
            lines.append(f"{violation['id']} [{violation['impact']}] {node['target']}: {summary}")
    return lines


def vnu_errors(files: list[Path]) -> dict[str, list[str]]:
    """Errors per file from one run of the Nu HTML Checker over all files (java starts once)."""
    if not files:
        return {}
    done = subprocess.run(  # noqa: S603 - fixed arguments, files we wrote
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]
    errors: dict[str, list[str]] = {}
    for message in messages:
        name = message.get("url", "").rsplit("/", 1)[-1]
        extract = " ".join(message.get("extract", "").split())[:120]
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message['message']} [{extract}]"
        )
    return errors
