"""Builders for the objects URLs point at, keyed by URL keyword argument name.

`build_kwargs(pattern, account=..., people=...)` returns real ids of objects that belong to
`account`, so the matrix test can call every URL. A URL with an argument not listed here fails
loudly: add a builder when you add such a URL.
"""

BUILDERS = {
    "account_id": lambda account, people: account.pk,
}


def build_kwargs(pattern, *, account, people) -> dict:
    kwargs = {}
    for name in pattern.pattern.converters:
        if name in ("uidb64", "token"):
            continue
        if name not in BUILDERS:
            raise AssertionError(
                f"no builder for URL argument {name!r} in tests/security/url_objects.py"
            )
        kwargs[name] = BUILDERS[name](account, people)
    return kwargs
