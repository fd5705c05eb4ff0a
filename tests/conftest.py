"""Suite-wide pytest setup: the embedded host's fixtures (`devhost`, `devhost_factory`) and `azurite`."""

pytest_plugins = ["devhost.testing", "tests.support.azurite", "tests.support.notes_mcp"]
