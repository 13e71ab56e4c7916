"""Personas every test can ask for, after Healthchecks' alice/bob/charlie.

- `bureau_staff`: 局机关工作人员, full data entry.
- `secretary` keeps 局机关支部 (`own_branch`); `other_secretary` keeps 市休干所老干部支部 (`other_branch`).
- `base_admin`: 基地管理员 of `own_base`; `other_base` is not theirs.
- `manager`: 领导, reads everything.
- `anonymous`: a visitor with no account (a plain client).
Each `*_client` fixture is a test client signed in as that persona.

`demo` (the whole demo for a module, rolled back after it) and `demo_data` (for one test) put back
the demo the session built once (tests/demo_snapshot.py).
"""

import os

import hypothesis.configuration
import pytest
from django.db import transaction
from django.test import override_settings

from core import roles
from tests import demo_snapshot as demo_snapshot_module
from tests.factories.accounts import UserFactory
from tests.factories.branches import OrganisationFactory, UnitFactory
from tests.factories.exhibitions import EducationBaseFactory

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around
# it are still synchronous. Test-only: production settings never set this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _no_writes_into_the_working_tree(tmp_path_factory):
    """Every file a test uploads or the demo draws lands in a temporary folder (the storage
    backends read MEDIA_ROOT when they are used), and so does Hypothesis' .hypothesis/."""
    hypothesis.configuration.set_hypothesis_home_dir(tmp_path_factory.mktemp("hypothesis"))
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Personas and demo accounts are hashed on creation, and logins hash again; the default
    # hasher is slow on purpose. Tests that need a real hasher set their own.
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS), django_db_blocker.unblock():
        return demo_snapshot_module.take(tmp_path_factory.mktemp("demo-media"))


@pytest.fixture(scope="module")
def demo(demo_snapshot, django_db_blocker, tmp_path_factory):
    """The demo at scale 1 for every test of the module that asks for it, rolled back after;
    each test (with `db`) runs in its own savepoint, so one test's changes never reach the next."""
    media = tmp_path_factory.mktemp("demo-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        demo_snapshot_module.restore(demo_snapshot, media)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_data(demo_snapshot, db, settings, tmp_path):
    """The demo at scale 1 for one test, in that test's transaction (or, with `live_server`,
    committed and flushed after)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_snapshot_module.restore(demo_snapshot, settings.MEDIA_ROOT)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached public pages (ops.cache) must not leak from one test's data into another's."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def no_page_cache(settings):
    """For tests that read a page's `response.context`, which a page served from the cache lacks;
    caching itself is tested in tests/ops/test_cache.py."""
    settings.PORTAL_PAGE_CACHE = False


@pytest.fixture
def general_branch(db):
    return OrganisationFactory(
        code="zongzhi", name="市委老干部局党总支", kind="general_branch", unit=UnitFactory()
    )


@pytest.fixture
def own_branch(general_branch):
    return OrganisationFactory(code="jiguan", name="局机关支部", parent=general_branch)


@pytest.fixture
def other_branch(general_branch):
    return OrganisationFactory(
        code="xiugansuo-lgb",
        name="市休干所老干部支部",
        parent=general_branch,
        is_retiree_branch=True,
    )


@pytest.fixture
def own_base(db):
    return EducationBaseFactory(slug="own-base", name="左权县红色教育基地")


@pytest.fixture
def other_base(db):
    return EducationBaseFactory(slug="other-base", name="平遥县红色教育基地", county="pingyao")


@pytest.fixture
def bureau_staff(db):
    return UserFactory(username="staff", roles=[roles.BUREAU_STAFF])


@pytest.fixture
def secretary(own_branch):
    user = UserFactory(username="secretary", roles=[roles.BRANCH_SECRETARY])
    own_branch.secretaries.add(user)
    return user


@pytest.fixture
def other_secretary(other_branch):
    user = UserFactory(username="other_secretary", roles=[roles.BRANCH_SECRETARY])
    other_branch.secretaries.add(user)
    return user


@pytest.fixture
def base_admin(own_base):
    user = UserFactory(username="base_admin", roles=[roles.BASE_ADMINISTRATOR])
    own_base.administrators.add(user)
    return user


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", roles=[roles.MANAGER])


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def anonymous(client):
    return client


@pytest.fixture
def staff_client(client, bureau_staff):
    return _client_for(client, bureau_staff)


@pytest.fixture
def secretary_client(client, secretary):
    return _client_for(client, secretary)


@pytest.fixture
def base_admin_client(client, base_admin):
    return _client_for(client, base_admin)


@pytest.fixture
def manager_client(client, manager):
    return _client_for(client, manager)


PERSONAS = ["bureau_staff", "secretary", "base_admin", "manager"]
