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
    write(
        tmp_path,
        "host.json",
        {"version": "2.0", "extensions": {"http": {"routePrefix": "/v1/"}, "durableTask": durable}},
    )
    config = read_host_config(tmp_path, {"HUB": "myhub"})
    assert config == HostConfig(
        route_prefix="v1", hub_name="myhub", default_version="2.0", extended_sessions=True
    )


def test_missing_setting_and_bad_json_name_the_cause(tmp_path: Path) -> None:
    write(tmp_path, "host.json", {"version": "2.0", "extensions": {"durableTask": {"hubName": "%HUB%"}}})
    with pytest.raises(SettingsError, match=r"hubName refers to setting %HUB%"):
        read_host_config(tmp_path, {})
    (tmp_path / "local.settings.json").write_text("{oops")
    with pytest.raises(SettingsError, match=r"local\.settings\.json: cannot read JSON"):
        load_local_settings(tmp_path, {})


def test_extended_session_idle_timeout_is_read_and_checked(tmp_path: Path) -> None:
    durable = {"extendedSessionsEnabled": True, "extendedSessionIdleTimeoutInSeconds": 120}
    write(tmp_path, "host.json", {"version": "2.0", "extensions": {"durableTask": durable}})
    assert read_host_config(tmp_path, {}).extended_session_idle_timeout_s == 120.0
    write(
        tmp_path,
        "host.json",
        {"version": "2.0", "extensions": {"durableTask": {"extendedSessionIdleTimeoutInSeconds": 0}}},
    )
    with pytest.raises(SettingsError, match="extendedSessionIdleTimeoutInSeconds must be a positive"):
        read_host_config(tmp_path, {})


def test_the_example_settings_stand_in_for_a_missing_local_settings_file(tmp_path: Path) -> None:
    write(tmp_path, "local.settings.json.example", {"Values": {"TASKHUB_NAME": "examplehub"}})
    environ: dict[str, str] = {}
    assert load_local_settings(tmp_path, environ) == {"TASKHUB_NAME": "examplehub"}
    write(tmp_path, "local.settings.json", {"Values": {"TASKHUB_NAME": "realhub"}})
    assert load_local_settings(tmp_path, {}) == {"TASKHUB_NAME": "realhub"}


@pytest.mark.parametrize(
    ("host_json", "message"),
    [
        ({"extensions": {}}, "missing the required 'version' property"),
        ({"version": "3.0"}, "'3.0' is an invalid value for host.json 'version' property"),
        ({"version": 2.0}, "'2' is an invalid value"),
        (
            {"version": "2.0", "extensions": {"durableTask": {"hubName": "bad hub!"}}},
            "extensions.durableTask.hubName: Task hub name 'bad hub!' should contain only alphanumeric",
        ),
        ({"version": "2.0", "extensions": {"durableTask": {"hubName": "ab"}}}, "Task hub name 'ab'"),
        ({"version": "2.0", "extensions": {"durableTask": {"hubName": "h" * 51}}}, "Task hub name 'hhh"),
    ],
)
def test_host_json_fails_fast_with_the_hosts_messages(
    tmp_path: Path, host_json: object, message: str
) -> None:
    write(tmp_path, "host.json", host_json)
    with pytest.raises(SettingsError, match=message):
        read_host_config(tmp_path, {})


def test_host_json_values_read_as_the_hosts_configuration_holds_them(tmp_path: Path) -> None:
    write(tmp_path, "host.json", {})  # the host fills an empty host.json with its defaults
    assert read_host_config(tmp_path, {}) == HostConfig()
    write(tmp_path, "host.json", {"version": "2.0", "extensions": {"http": {"routePrefix": None}}})
    assert read_host_config(tmp_path, {}).route_prefix == ""  # null is "" to .NET configuration
    write(tmp_path, "host.json", {"version": "2.0", "extensions": {"http": {"routePrefix": 5}}})
    assert read_host_config(tmp_path, {}).route_prefix == "5"
    other_provider = {"hubName": "any-name", "storageProvider": {"type": "mssql"}}
    write(tmp_path, "host.json", {"version": "2.0", "extensions": {"durableTask": other_provider}})
    assert read_host_config(tmp_path, {}).hub_name == "any-name"  # the Azure Storage rule only
