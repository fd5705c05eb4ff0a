"""The user info of a URL (`https://user:password@host/v1`), kept out of what the app prints.

A model endpoint setting with user info is refused at start (`agents/settings.py`): the HTTP clients
would send it as basic auth instead of the key or token. The refusal quotes the value without it.
"""

import re

# The user info (`user:password@`) of an absolute URL.
_USERINFO = re.compile(r"(?<=//)[^/?#@\s]*@")


def public_url(url: str) -> str:
    """`url` without its user info (`https://user:pass@host/v1` → `https://host/v1`), to print it."""
    return _USERINFO.sub("", url, count=1)
