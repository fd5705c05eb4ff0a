"""The app's version: kept in a module that is deployed, since the package ships without pyproject.toml
(`.funcignore`) and is not pip-installed in Azure; pyproject.toml reads it from here."""

VERSION = "0.1.0"


def app_version() -> str:
    """The version `/health` and `openapi.json` report."""
    return VERSION
