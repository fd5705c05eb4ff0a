"""Replies no run API sends (a proxy's page, a broken or hostile server): one line and exit 1,
never a traceback."""

import httpx
import pytest

from agentctl.client import RunApiClient
from agentctl.config import resolve_settings
from agentctl.errors import ApiError

DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("status", [200, 500])
@pytest.mark.parametrize("body", [b"<html>proxy</html>", DEEP])
def test_a_reply_that_cannot_be_read_as_json_is_an_api_error(status: int, body: bytes) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=body))
    settings = resolve_settings("http://api.test", None, {})
    with RunApiClient(settings, transport=transport) as client, pytest.raises(ApiError) as raised:
        client.health()
    assert raised.value.exit_code == 1
    assert "http://api.test/api/health" in str(raised.value)
