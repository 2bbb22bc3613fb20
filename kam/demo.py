"""Shared state handed to each app's `demo.seed(ctx)` by the seed_demo command."""

import random
from dataclasses import dataclass, field
from datetime import date


@dataclass
class DemoContext:
    today: date
    scale: int
    password: str
    rng: random.Random = field(default_factory=lambda: random.Random(2027))  # noqa: S311
    users: dict = field(default_factory=dict)  # username -> User
    accounts: list = field(default_factory=list)  # KeyAccounts, hand-written ones first
    log: list = field(default_factory=list)

    def say(self, message: str) -> None:
        self.log.append(message)
