"""`make stack-test` only: the shipped stack takes a minute or two to start, and needs nginx,
redis-server and PostgreSQL; `make test` leaves this folder out."""

import os

import pytest

if not os.environ.get("PORTAL_STACK_TEST"):
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def stack(request, tmp_path_factory):
    from tests.stack.stack import Stack

    stack = Stack(tmp_path_factory.mktemp("stack"))
    failed = request.session.testsfailed
    try:
        stack.up()
        yield stack
        failed = request.session.testsfailed - failed
    except BaseException:
        failed = True
        raise
    finally:
        if failed:
            # The servers' own words, for a failure that the test's assertion cannot explain.
            for name, text in stack.logs().items():
                print(f"===== {name} (last lines)\n{text}")
        stack.down()
