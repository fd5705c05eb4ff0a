"""Suite-wide pytest setup: the embedded host's fixtures (`devhost`, `devhost_factory`)."""

pytest_plugins = ["devhost.testing"]
