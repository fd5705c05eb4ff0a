"""The template served by the embedded host, as a user runs it: a subprocess, real HTTP."""

from collections.abc import Iterator

import pytest

from bench.run_api import ApiClient
from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost


@pytest.fixture(scope="module")
def template_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevHost]:
    """One host per test module, with its own state and outbox."""
    tmp = tmp_path_factory.mktemp("template")
    with DevHost(PROJECT_ROOT, tmp / "state.db", env=template_env(tmp)) as host:
        yield host


@pytest.fixture(scope="module")
def api(template_host: DevHost) -> ApiClient:
    return ApiClient(template_host.http)
