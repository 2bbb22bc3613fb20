"""Create (or bring up to date) a realistic demo programme. Safe to run again."""

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from kam.demo import DemoContext
from planning.services import plan_health_refresh


class Command(BaseCommand):
    help = (
        "Seed a demo KAM programme: users director, manager, coordinator, executive "
        "(password 'demo') and key accounts in every class, with every stage filled in. "
        "Idempotent. Refused when DEBUG is off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiply the data (1-1000).")
        parser.add_argument(
            "--force", action="store_true", help="Seed even with DEBUG off (demo passwords!)."
        )

    def handle(self, *args, scale: int, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create users with the demo password while DEBUG is off. "
                "Use --force if this really is a demo server."
            )
        if not 1 <= scale <= 1000:
            raise CommandError("--scale must be between 1 and 1000.")
        ctx = DemoContext(
            today=timezone.localdate(), scale=scale, password=settings.KAM_DEMO_PASSWORD
        )
        # Each stage app seeds its own data in dependency order (INSTALLED_APPS order).
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo_data"
            if importlib.util.find_spec(module_name) is None:
                continue
            module = importlib.import_module(module_name)
            with transaction.atomic():
                module.seed(ctx)
        # Apps seeded after rhythm (which stores today's plan health, as the nightly job would)
        # may change what a health rule reads, e.g. a customer's own action in the workspace:
        # the plans they touched are stored again, so the dashboard's first view stays fast.
        with transaction.atomic():
            stored = plan_health_refresh(today=ctx.today)
        if stored:
            ctx.say(f"Plan health stored again for {stored} plans the later apps changed.")
        for line in ctx.log:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo programme ready: {len(ctx.accounts)} key accounts. "
                f"Log in as director, manager, coordinator or executive with password "
                f"'{ctx.password}'."
            )
        )
