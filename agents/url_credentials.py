"""The user info of a model endpoint's URL (`https://user:password@host/v1`): shown nowhere.

A URL's user info is a credential, and the URL is printed in many places: the start-up log, settings
errors, model errors and the HTTP clients' log of every request. `public_url` is the URL to print,
`url_credentials` the secrets to redact from text a server echoes back (httpx sends the user info as
basic auth, in place of the key), and `hide_url_credentials_in_http_logs` keeps it out of httpx's
request log.
"""

import base64
import logging
import re
from urllib.parse import unquote

# The user info (`user:password@`) of an absolute URL.
_USERINFO = re.compile(r"(?<=//)[^/?#@\s]*@")


def public_url(url: str) -> str:
    """`url` without its user info (`https://user:pass@host/v1` → `https://host/v1`), to print it."""
    return _USERINFO.sub("", url, count=1)


class HideUrlCredentials(logging.Filter):
    """Takes the user info out of every URL in a log record: httpx logs each request's full URL."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message when it holds a URL's user info; never drop the record."""
        message = record.getMessage()
        if _USERINFO.search(message):
            record.msg, record.args = _USERINFO.sub("", message), ()
        return True


def hide_url_credentials_in_http_logs() -> None:
    """Install `HideUrlCredentials` on the HTTP clients' loggers (once; calling again is harmless)."""
    for name in ("httpx", "httpx2"):
        logger = logging.getLogger(name)
        if not any(isinstance(existing, HideUrlCredentials) for existing in logger.filters):
            logger.addFilter(HideUrlCredentials())


def url_credentials(url: str) -> tuple[str, ...]:
    """The secrets in `url`'s user info: the password as written and decoded, and the basic-auth token
    httpx makes of the user info and sends instead of the key (an echoed header would show it)."""
    match = _USERINFO.search(url)
    if match is None:
        return ()
    user, _, password = match.group(0)[:-1].partition(":")
    basic = base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode()).decode()
    return (password, unquote(password), basic)
