"""Azure Table Storage as the app's identity: validated settings, one client per table, safe keys.

The side channels (`agents/tools/outbox_table.py`, `streams/table_store.py`) each name their own
settings; this module checks them the same way, connects with `DefaultAzureCredential` (the
user-assigned identity `AZURE_CLIENT_ID` in Azure) and creates the table when it is missing, which is
what Azurite needs and what the role `Storage Table Data Contributor` allows in Azure.
"""

import re
import string
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from azure.core.exceptions import AzureError
from azure.data.tables import TableClient, TableServiceClient
from azure.identity import DefaultAzureCredential

_KEY_CHARS = frozenset(string.ascii_letters + string.digits + "_:-")
_TABLE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]{2,62}")


def escape_key(text: str) -> str:
    """A Table key for `text`: other characters become `.XX` per UTF-8 byte (`.` too: one-to-one).

    `/ \\ # ?` are forbidden in keys and `% ' ~` trip some tools, so only letters, digits and `_:-`
    pass through; `!` and `~` never survive escaping, so callers may use them for rows of their own.
    """
    return "".join(
        char if char in _KEY_CHARS else "".join(f".{byte:02X}" for byte in char.encode()) for char in text
    )


def check_table_settings(
    endpoint: str, table_name: str, endpoint_setting: str, name_setting: str, error: type[Exception]
) -> str:
    """Raise `error` naming the setting when either is malformed; returns where, for later messages."""
    parts = urlsplit(endpoint)
    if parts.scheme != "https" or not parts.netloc:
        raise error(
            f"{endpoint_setting} must be an https URL like https://<account>.table.core.windows.net "
            f"(got {endpoint!r})"
        )
    if not _TABLE_NAME.fullmatch(table_name):
        raise error(
            f"{name_setting} must be 3-63 letters or digits, starting with a letter (got {table_name!r})"
        )
    return f"table {table_name!r} ({name_setting}) at {endpoint_setting}={endpoint}"


def open_table(endpoint: str, table_name: str, where: str, error: type[Exception]) -> TableClient:
    """Connect as the app's identity and create the table if missing; failures raise `error`."""
    service = TableServiceClient(endpoint=endpoint, credential=DefaultAzureCredential())
    try:
        return service.create_table_if_not_exists(table_name)
    except AzureError as failure:
        raise error(f"cannot open the {where}: {failure}") from failure


@contextmanager
def storage_errors(error: type[Exception], message: str) -> Iterator[None]:
    """Raise `error` with `message` and the service's answer when a storage call fails."""
    try:
        yield
    except AzureError as failure:
        raise error(f"{message}: {failure}") from failure
