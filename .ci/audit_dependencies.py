"""Audit requirements.lock for known vulnerabilities with pip-audit (`make security`).

pip-audit asks PyPI's per-release JSON API (https://pypi.org/pypi/NAME/VERSION/json), whose
`vulnerabilities` field comes from the Python advisory database. Where that API answers, any
finding, or any pinned package that cannot be audited, fails the run (--strict).

Some networks reach PyPI's package index but not that API (the machines this project is built on
answer 404 for every release). There the audit cannot happen at all; this script says so loudly
and exits 0 so that CI still runs the tests, or exits 1 when KAM_REQUIRE_AUDIT=1 (set it where
the API is reachable, so that a broken network cannot quietly turn the gate off).
"""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"


def first_pin() -> tuple[str, str]:
    for line in LOCK.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            return name.strip(), version.strip()
    raise SystemExit(f"{LOCK} pins no package")


def vulnerability_api_answers() -> tuple[bool, str]:
    name, version = first_pin()
    url = f"https://pypi.org/pypi/{name}/{version}/json"
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - fixed https URL
            return response.status == 200, f"{url} answered {response.status}"
    except urllib.error.HTTPError as exc:
        return False, f"{url} answered HTTP {exc.code}"
    except OSError as exc:
        return False, f"{url} is unreachable ({exc})"


def main() -> int:
    ok, detail = vulnerability_api_answers()
    if not ok:
        print(
            "pip-audit: NOT RUN. PyPI's vulnerability API does not answer from this machine: "
            f"{detail}. No dependency of requirements.lock was checked for known "
            "vulnerabilities.",
            file=sys.stderr,
        )
        return 1 if os.environ.get("KAM_REQUIRE_AUDIT") == "1" else 0
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [
        str(pip_audit),
        "--requirement",
        str(LOCK),
        "--no-deps",  # the lock is complete: every package is pinned on its own line
        "--disable-pip",
        "--strict",
        "--progress-spinner",
        "off",
    ]
    print("$", " ".join(command), flush=True)
    return subprocess.call(command)  # noqa: S603 - fixed argument list


if __name__ == "__main__":
    sys.exit(main())
