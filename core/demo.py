"""Builds the demo bureau: `python manage.py load_demo [--scale N]`.

Each app contributes a `demo.py` with `load(ctx)`; they run in the order of DEMO_STEPS, each
deterministic (seeded from `ctx.random(...)`) and idempotent (keyed on natural keys, so a
second run finds everything in place and changes nothing). `ctx.scale` multiplies generated
volume (people, records, visits), never the fixed facts of FACTS.md.

The demo accounts (a superuser among them) never get a published password: the accounts a run
creates get PORTAL_DEMO_PASSWORD from the environment if it is set, otherwise a random one that
the command prints once; accounts already there keep theirs.
"""

import os
import random
import secrets
from dataclasses import dataclass, field
from importlib import import_module

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core import roles
from core.signals import data_replaced

# Meetings of organisational life come after the members who attend them and the bases where
# some are held, and before visits, which count the meetings held at bases.
DEMO_STEPS = [
    "branches.demo",
    "members.demo",
    "redhistory.demo",
    "exhibitions.demo",
    "branches.demo_meetings",
    "visits.demo",
]

DEMO_PASSWORD_VARIABLE = "PORTAL_DEMO_PASSWORD"

# username, role (None: superuser), what the account is for
DEMO_ACCOUNTS = [
    ("admin", None, "superuser"),
    ("staff", roles.BUREAU_STAFF, "bureau staff"),
    ("secretary_jiguan", roles.BRANCH_SECRETARY, "secretary of 局机关支部"),
    ("secretary_xiugansuo", roles.BRANCH_SECRETARY, "secretary of 市休干所老干部支部"),
    ("base_admin", roles.BASE_ADMINISTRATOR, "base administrator"),
    ("manager", roles.MANAGER, "manager"),
]


@dataclass
class DemoContext:
    scale: int = 1
    stdout: object = None
    seed: int = 20240701
    password: str = ""
    users: dict = field(default_factory=dict)
    created_accounts: list = field(default_factory=list)

    def random(self, topic):
        """A generator of its own per topic, so that one app's changes do not reshuffle another's."""
        return random.Random(f"{self.seed}:{topic}")

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)


def create_demo_accounts(ctx):
    User = get_user_model()
    for username, role, _purpose in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, is_staff=True, is_superuser=role is None)
            user.set_password(ctx.password)
            user.save()
            ctx.created_accounts.append(username)
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
        ctx.users[username] = user
    ctx.log(f"  accounts: {len(DEMO_ACCOUNTS)}")


def demo_password():
    return os.environ.get(DEMO_PASSWORD_VARIABLE) or secrets.token_urlsafe(12)


def load_demo(*, scale=1, stdout=None, steps=None, password=None):
    """Loads the demo; `steps` (a subset of DEMO_STEPS, run in their usual order) lets a test
    build only what it reads, because the whole demo takes tens of seconds. New accounts get
    `password`, or `demo_password()`; `ctx.created_accounts` names them."""
    ctx = DemoContext(scale=scale, stdout=stdout, password=password or demo_password())
    ctx.log("accounts")
    create_demo_accounts(ctx)
    for step in DEMO_STEPS:
        if steps is not None and step not in steps:
            continue
        try:
            module = import_module(step)
        except ModuleNotFoundError as error:
            if error.name != step:
                raise
            continue
        ctx.log(step)
        module.load(ctx)
    # The steps write in bulk, without the model signals that invalidate cached public pages.
    data_replaced.send(sender=load_demo)
    return ctx
