"""Where does a page spend its time? Renders it in-process through Django's test client as a
given user and prints a pyinstrument profile plus the queries it ran (count and time).

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=postgres://... \\
        python -m bench.profile_page --user executive --path /accounts/ --repeat 20

Read-only apart from the session row the test client's login creates.
"""

import argparse
import time


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--user", required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--html", help="also write pyinstrument's HTML report here")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=args.user))
    response = client.get(args.path)  # warm: templates, URL resolvers, connection
    if response.status_code != 200:
        raise SystemExit(f"{args.path} as {args.user}: HTTP {response.status_code}")
    with CaptureQueriesContext(connection) as capture:
        client.get(args.path)
    queries = list(capture.captured_queries)  # the next request clears connection.queries
    query_ms = sum(float(q["time"]) for q in queries) * 1000

    profiler = Profiler(interval=0.0005)
    started, cpu_started = time.perf_counter(), time.process_time()
    profiler.start()
    for _ in range(args.repeat):
        client.get(args.path)
    profiler.stop()
    wall_ms = (time.perf_counter() - started) / args.repeat * 1000
    cpu_ms = (time.process_time() - cpu_started) / args.repeat * 1000

    # CPU time is the steadier number on a shared machine: wall time includes waiting for a core.
    print(
        f"{args.path} as {args.user}: {wall_ms:.1f} ms wall, {cpu_ms:.1f} ms CPU of this process "
        f"a request, in-process under the profiler"
    )
    print(f"{len(queries)} queries, {query_ms:.1f} ms in the database driver:")
    for query in queries:
        print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:150]}")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.html:
        with open(args.html, "w") as out:
            out.write(profiler.output_html())


if __name__ == "__main__":
    main()
