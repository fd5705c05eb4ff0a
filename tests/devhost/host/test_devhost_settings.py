"""local.settings.json and host.json are read the way the Functions host reads them."""

import json
from pathlib import Path

import pytest

from devhost.settings import HostConfig, SettingsError, load_local_settings, read_host_config


def write(folder: Path, name: str, document: object) -> None:
    (folder / name).write_text(json.dumps(document))


def test_local_settings_fill_the_environment_but_never_override_it(tmp_path: Path) -> None:
    write(tmp_path, "local.settings.json", {"Values": {"A": "from file", "B": "from file", "N": 5}})
    environ = {"A": "real"}
    assert load_local_settings(tmp_path, environ) == {"A": "from file", "B": "from file", "N": "5"}
    assert environ == {"A": "real", "B": "from file", "N": "5"}


def test_no_files_means_defaults(tmp_path: Path) -> None:
    assert load_local_settings(tmp_path, {}) == {}
    assert read_host_config(tmp_path, {}) == HostConfig(route_prefix="api", hub_name="TestHubName")


def test_host_json_with_setting_reference(tmp_path: Path) -> None:
    durable = {"hubName": "%HUB%", "defaultVersion": "2.0", "extendedSessionsEnabled": True}
    write(tmp_path, "host.json", {"extensions": {"http": {"routePrefix": "/v1/"}, "durableTask": durable}})
    config = read_host_config(tmp_path, {"HUB": "myhub"})
    assert config == HostConfig(
        route_prefix="v1", hub_name="myhub", default_version="2.0", extended_sessions=True
    )


def test_missing_setting_and_bad_json_name_the_cause(tmp_path: Path) -> None:
    write(tmp_path, "host.json", {"extensions": {"durableTask": {"hubName": "%HUB%"}}})
    with pytest.raises(SettingsError, match=r"hubName refers to setting %HUB%"):
        read_host_config(tmp_path, {})
    (tmp_path / "local.settings.json").write_text("{oops")
    with pytest.raises(SettingsError, match=r"local\.settings\.json: cannot read JSON"):
        load_local_settings(tmp_path, {})


def test_extended_session_idle_timeout_is_read_and_checked(tmp_path: Path) -> None:
    durable = {"extendedSessionsEnabled": True, "extendedSessionIdleTimeoutInSeconds": 120}
    write(tmp_path, "host.json", {"extensions": {"durableTask": durable}})
    assert read_host_config(tmp_path, {}).extended_session_idle_timeout_s == 120.0
    write(tmp_path, "host.json", {"extensions": {"durableTask": {"extendedSessionIdleTimeoutInSeconds": 0}}})
    with pytest.raises(SettingsError, match="extendedSessionIdleTimeoutInSeconds must be a positive"):
        read_host_config(tmp_path, {})


def test_the_example_settings_stand_in_for_a_missing_local_settings_file(tmp_path: Path) -> None:
    write(tmp_path, "local.settings.json.example", {"Values": {"TASKHUB_NAME": "examplehub"}})
    environ: dict[str, str] = {}
    assert load_local_settings(tmp_path, environ) == {"TASKHUB_NAME": "examplehub"}
    write(tmp_path, "local.settings.json", {"Values": {"TASKHUB_NAME": "realhub"}})
    assert load_local_settings(tmp_path, {}) == {"TASKHUB_NAME": "realhub"}
