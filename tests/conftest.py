"""Shared fixtures: personas, their accounts, and access to real services.

Tests that need a real service (a Celery worker on Redis, PostgreSQL, a browser) skip with the
reason on a laptop that lacks it; CI sets KAM_REQUIRE_SERVICES=1 so that a missing service
fails the run instead of hiding it.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from celery.result import allow_join_result
from django.contrib.auth.models import Group
from django.utils import translation

from accounts.models import EXECUTIVE_GROUP, PROGRAMME_ADMIN_GROUP, Role
from kam.celery import app as celery_app

from .factories import KeyAccountFactory, MembershipFactory, NewUserFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still work there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def require_service(available: bool, reason: str) -> None:
    if available:
        return
    if os.environ.get("KAM_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 costs ~200 ms per password; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _quick_flush():
    """A transactional test's closing flush deletes the rows of the tables that hold any
    instead of truncating every table, and keeps content types and permissions
    (tests/quick_flush.py)."""
    from django.core.management.commands.flush import Command

    from .quick_flush import flush_handle, flush_tables_with_rows

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.core.management.commands.flush.sql_flush", flush_tables_with_rows)
        patch.setattr(Command, "handle", flush_handle(Command.handle))
        yield


@pytest.fixture(scope="session", autouse=True)
def _test_client_shortcuts_leave_axes_out():
    """`Client.force_login` and `Client.logout` are the tests' shortcuts past the log-in page.
    django-axes wrote its access log and cleared failures on each (four queries, thousands of
    times a run: ~18 s of the suite's CPU). Log-ins and log-outs through the pages keep it
    (tests/security/test_login_protection.py)."""
    from axes.signals import handle_user_logged_in, handle_user_logged_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out
    from django.test.client import ClientMixin

    def without(signal, receiver, method):
        def shortcut(self, *args, **kwargs):
            signal.disconnect(receiver)
            try:
                return method(self, *args, **kwargs)
            finally:
                signal.connect(receiver)

        return shortcut

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            ClientMixin,
            "force_login",
            without(user_logged_in, handle_user_logged_in, ClientMixin.force_login),
        )
        patch.setattr(
            ClientMixin,
            "logout",
            without(user_logged_out, handle_user_logged_out, ClientMixin.logout),
        )
        yield


@pytest.fixture(scope="session")
def media_root(tmp_path_factory):
    """Generated files (exports) go here, not to the project's media/. One folder for the
    whole run, so that a real worker process (which gets it as MEDIA_ROOT) writes where the
    test reads."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, media_root):
    settings.MEDIA_ROOT = media_root


@pytest.fixture(autouse=True)
def _site_language_after_each_test():
    """A request activates its language in the thread that serves it (the test's own, for the
    test client) and nothing turns it back: a French request left later tests reading French
    ("Aucun changement" for "No changes"), depending on the order xdist ran them in."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Each test starts with an empty cache: throttles (password reset) count in it.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _no_dashboard_cache(settings):
    # Tests change data between requests; the portfolio cache is tested on its own.
    settings.PORTFOLIO_CACHE_SECONDS = 0


# ---- personas -----------------------------------------------------------------------------


@pytest.fixture
def people(db):
    """One person per role. `account` below is theirs; `other_account` belongs to others."""
    make = NewUserFactory
    ns = SimpleNamespace(
        director=make(username="dana", first_name="Dana", last_name="Director"),
        manager=make(username="max", first_name="Max", last_name="Manager"),
        other_manager=make(username="olga", first_name="Olga", last_name="Other"),
        other_director=make(username="otto", first_name="Otto", last_name="Other"),
        coordinator=make(username="chloe", first_name="Chloé", last_name="Coordinator"),
        team_member=make(username="sven", first_name="Sven", last_name="Team"),
        executive=make(username="elena", first_name="Elena", last_name="Executive"),
        programme_admin=make(username="paul", first_name="Paul", last_name="Admin"),
        outsider=make(username="oscar", first_name="Oscar", last_name="Outsider"),
    )
    # get_or_create: a transactional test earlier in the run may have flushed the rows the
    # data migration created.
    ns.executive.groups.add(Group.objects.get_or_create(name=EXECUTIVE_GROUP)[0])
    ns.programme_admin.groups.add(Group.objects.get_or_create(name=PROGRAMME_ADMIN_GROUP)[0])
    return ns


@pytest.fixture
def account(people):
    account = KeyAccountFactory(customer__name="Northwind Foods")
    for user, role in (
        (people.director, Role.DIRECTOR),
        (people.manager, Role.MANAGER),
        (people.coordinator, Role.COORDINATOR),
        (people.team_member, Role.TEAM_MEMBER),
    ):
        MembershipFactory(user=user, key_account=account, role=role)
    return account


@pytest.fixture
def other_account(people):
    account = KeyAccountFactory(customer__name="Helios Retail")
    MembershipFactory(user=people.other_director, key_account=account, role=Role.DIRECTOR)
    MembershipFactory(user=people.other_manager, key_account=account, role=Role.MANAGER)
    return account


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user (None: anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


# ---- Celery -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _celery_eager_by_default(request):
    """Tasks run in-process unless a test asks for the real worker."""
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def forget_result_backend() -> None:
    """Celery caches the result backend and the broker connection pool on first use (an eager
    task run earlier in the session caches the disabled backend and a memory:// pool); after
    changing `result_backend` / `broker_url` the next use must build them anew."""
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None


def broker_for_this_process(url: str) -> tuple[str, str]:
    """The broker and result-backend Redis URLs of this test process. Under pytest-xdist each
    worker process (gw0, gw1, …) starts its own Celery worker on its own test database, so each
    gets its own pair of Redis databases, counting down from KAM_TEST_BROKER_URL's (gw0 uses
    it and the one after for results, gw1 the two below, and so on)."""
    base, _, number = url.rpartition("/")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker.removeprefix("gw") or 0)
    broker_db = int(number or 0) - 2 * index
    if broker_db < 0 or broker_db + 1 > 15:
        pytest.fail(f"no Redis database pair left for xdist worker {worker} below {url}")
    return f"{base}/{broker_db}", f"{base}/{broker_db + 1}"


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, media_root):
    """A real `celery worker` on Redis, pointed at the test database (PostgreSQL only)."""
    from django.db import connection

    broker = os.environ.get("KAM_TEST_BROKER_URL", "")
    require_service(bool(broker), "KAM_TEST_BROKER_URL is not set (no Redis for a real worker)")
    broker, backend = broker_for_this_process(broker)
    require_service(redis_reachable(broker), f"Redis at {broker} does not answer")
    require_service(
        connection.vendor == "postgresql",
        "a real worker shares the test database, which needs PostgreSQL (DATABASE_URL)",
    )
    settings_dict = connection.settings_dict
    db_url = (
        f"postgres://{settings_dict['USER'] or 'postgres'}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": backend,
        # A cache the test process can share (its keys are prefixed "kam:", apart from the
        # results'), as web servers and workers share one in production (CACHE_URL); tests
        # that do not point their own cache at it see no difference.
        "CACHE_URL": backend,
        "MEDIA_ROOT": str(media_root),
    }
    import redis

    redis.Redis.from_url(broker).flushdb()
    proc = subprocess.Popen(  # noqa: S603 - fixed argument list
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kam",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
    )
    celery_app.conf.update(broker_url=broker, result_backend=backend, task_always_eager=False)
    forget_result_backend()
    proc.cache_url = backend
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                # A live server's thread of an earlier browser test may still be running an
                # eager task, which marks the process as inside a task (Celery's flag is one
                # per process): this wait is the test's own, not a task's.
                with allow_join_result():
                    answer = celery_app.send_task("kam.ping").get(timeout=5)
                if answer == "pong":
                    break
            except Exception:  # the worker is still starting
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        celery_app.conf.update(broker_url="memory://", result_backend=None)
        forget_result_backend()


@pytest.fixture
def celery_worker(celery_worker_process, request, django_db_serialized_rollback):
    """Use in tests marked `celery_worker` together with `transactional_db`."""
    celery_app.conf.task_always_eager = False
    forget_result_backend()
    yield celery_worker_process
    celery_app.conf.task_always_eager = True


# ---- PDFs ---------------------------------------------------------------------------------


@pytest.fixture
def pdfs_drawn(monkeypatch) -> list:
    """The HTML of every PDF WeasyPrint actually draws (common.pdf.print_document), in order:
    a PDF served as kept (common.pdf.render_pdf's keep) adds nothing."""
    import common.pdf

    drawn = []
    original = common.pdf.print_document

    def counted(html, **kwargs):
        drawn.append(html)
        return original(html, **kwargs)

    monkeypatch.setattr(common.pdf, "print_document", counted)
    return drawn


# ---- browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    require_service(shutil.which(CHROMIUM) is not None, f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, django_db_serialized_rollback):
    # Serialized rollback: the live server's transactional test flushes the database, which
    # would also delete rows that data migrations created (groups, default competences).
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# ---- transactional tests ------------------------------------------------------------------


def pytest_collection_modifyitems(items):
    """Transactional tests (live server, real worker) flush every table when they end, which
    would also delete rows that data migrations created (global groups, default competences,
    job specifications). Serialized rollback puts them back."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and "serialized_rollback" not in marker.kwargs
        ):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


# ---- CI: no silent skips -----------------------------------------------------------------


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped and os.environ.get("KAM_REQUIRE_SERVICES") == "1":
        terminalreporter.write_line(
            f"KAM_REQUIRE_SERVICES=1 and {len(skipped)} test(s) were skipped: failing the run.",
            red=True,
        )


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and os.environ.get("KAM_REQUIRE_SERVICES") == "1" and exitstatus == 0:
        session.exitstatus = 1


# ---- one migration run for all xdist processes (PostgreSQL) ------------------------------


def _end_other_sessions(connection, name: str) -> None:
    """End the sessions still open on a test database before it is dropped: a thread or a
    worker process that kept its connection would otherwise make DROP DATABASE fail at the very
    end of a green run ("is being accessed by other users")."""
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )


@pytest.fixture(scope="session")
def django_db_setup(  # noqa: PLR0913 - pytest-django's own fixture's arguments
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
    tmp_path_factory,
):
    """pytest-django's test database set-up, with the tables made from the models rather than by
    the migrations (tests/schema_from_models.py), except under pytest-xdist on PostgreSQL: there
    the first process to get here makes one template database (`test_<name>`) and every process
    clones its own (`test_<name>_gw0`, …) from it with CREATE DATABASE … TEMPLATE (README,
    Tests)."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from .schema_from_models import STARTING_ROWS, replay_data_steps, tables_from_models

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or connection.vendor != "postgresql" or django_db_keepdb:
        # pytest-django's own behaviour (this function's body is theirs, shortened).
        with django_db_blocker.unblock(), tables_from_models(connection):
            config = setup_databases(
                verbosity=request.config.option.verbose,
                interactive=False,
                keepdb=bool(django_db_keepdb and not django_db_createdb),
            )
            replay_data_steps(connection)
        yield
        if not django_db_keepdb:
            with django_db_blocker.unblock():
                teardown_databases(config, verbosity=request.config.option.verbose)
        return

    import fcntl

    from django.conf import settings as django_settings

    shared = tmp_path_factory.getbasetemp().parent  # one folder for all xdist processes
    lock_path, users_path = shared / "template-db.lock", shared / "template-db.users"
    clone_name = connection.settings_dict["NAME"] or ""
    original_name = connection.settings_dict["NAME"]
    template = connection.settings_dict["TEST"]["NAME"].removesuffix(f"_{worker}")
    with django_db_blocker.unblock(), open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            users = int(users_path.read_text() or 0) if users_path.exists() else 0
            connection.settings_dict["TEST"]["NAME"] = template
            if users == 0:
                with tables_from_models(connection):
                    connection.creation.create_test_db(
                        verbosity=0, autoclobber=True, serialize=False
                    )
                replay_data_steps(connection)
            else:
                for db in (connection.settings_dict, django_settings.DATABASES["default"]):
                    db["NAME"] = template
            connection.close()  # a template may have no other session while it is copied
            connection.creation.clone_test_db(suffix=worker, verbosity=0, autoclobber=True)
            users_path.write_text(str(users + 1))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
        clone_name = f"{template}_{worker}"
        for db in (connection.settings_dict, django_settings.DATABASES["default"]):
            db["NAME"] = clone_name
        connection.settings_dict["TEST"]["NAME"] = clone_name
        connection.close()
        # Transactional tests roll back to these rows (data migrations: groups, competences).
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()
        STARTING_ROWS[connection.alias] = connection._test_serialized_contents
    yield
    with django_db_blocker.unblock(), open(lock_path, "a") as lock:
        _end_other_sessions(connection, clone_name)
        connection.creation.destroy_test_db(original_name, verbosity=0)
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            users = int(users_path.read_text() or 1) - 1
            users_path.write_text(str(users))
            if users == 0:  # the last process out drops the template
                for db in (connection.settings_dict, django_settings.DATABASES["default"]):
                    db["NAME"] = template
                _end_other_sessions(connection, template)
                connection.creation.destroy_test_db(original_name, verbosity=0)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# ---- migration tests: one database migrated from the old heads (tests/old_heads.py) --------


def run_folder(tmp_path_factory) -> Path:
    """A temporary folder of this run that all its xdist processes share."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def old_heads(django_db_setup, django_db_blocker, tmp_path_factory):
    from .old_heads import shared_old_heads

    steps = shared_old_heads(run_folder(tmp_path_factory))
    with django_db_blocker.unblock():
        built = next(steps)
    yield built
    with django_db_blocker.unblock():
        next(steps, None)


@pytest.fixture
def migrated_old_heads(old_heads, django_db_blocker):
    """What each migration test planted at its old head (by test module), with the default
    connection on that database, now migrated to the newest migrations."""
    from .old_heads import default_database

    name, planted = old_heads
    with django_db_blocker.unblock(), default_database(name):
        yield planted


# ---- the seeded demo, seeded once per run (tests/demo_snapshot.py) -------------------------


@pytest.fixture(scope="session")
def demo_tables(django_db_setup, django_db_blocker, tmp_path_factory):
    from .demo_snapshot import shared_snapshot

    with django_db_blocker.unblock():
        return shared_snapshot(run_folder(tmp_path_factory))


@pytest.fixture
def demo(demo_tables, db):
    """The database as `seed_demo` leaves it, inside the test's transaction."""
    from .demo_snapshot import restore

    restore(demo_tables)


@pytest.fixture(scope="session")
def demo_tables_at_scale_2(django_db_setup, django_db_blocker, tmp_path_factory):
    from .demo_snapshot import shared_snapshot

    with django_db_blocker.unblock():
        return shared_snapshot(run_folder(tmp_path_factory), scale=2)


@pytest.fixture
def demo_at_scale_2(demo_tables_at_scale_2, db):
    """The database as `seed_demo --scale 2` leaves it, inside the test's transaction."""
    from .demo_snapshot import restore

    restore(demo_tables_at_scale_2)


@pytest.fixture
def committed_demo(demo_tables, transactional_db):
    """The database as `seed_demo` leaves it, committed (live server, browser); the
    transactional test empties it afterwards as usual."""
    from .demo_snapshot import restore

    restore(demo_tables)
