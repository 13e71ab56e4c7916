"""`make stack-test` only: the shipped stack takes a minute or two to start, and needs nginx,
redis-server and PostgreSQL; `make test` leaves this folder out."""

import os

import pytest

if not os.environ.get("PORTAL_STACK_TEST"):
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    from tests.stack.stack import Stack

    stack = Stack(tmp_path_factory.mktemp("stack"))
    try:
        stack.up()
        yield stack
    except BaseException:
        for name, text in stack.logs().items():
            print(f"===== {name}\n{text}")
        raise
    finally:
        stack.down()
