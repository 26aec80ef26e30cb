"""Persistence: a state file keeps everything across a restart of the emulator."""

from __future__ import annotations

from pathlib import Path

from pulumi_chime_sdk_identity.emulator import EmulatorServer, Store
from tests.support import PINPOINT_APP, Emulator


def test_state_file_survives_restart(tmp_path: Path) -> None:
    state = str(tmp_path / "state.sqlite")
    with EmulatorServer(state_file=state) as first:
        chime = Emulator(first).client()
        arn = chime.create_app_instance(Name="durable", Tags=[{"Key": "k", "Value": "v"}])["AppInstanceArn"]
        user = chime.create_app_instance_user(AppInstanceArn=arn, AppInstanceUserId="u", Name="U")["AppInstanceUserArn"]
        chime.register_app_instance_user_endpoint(
            AppInstanceUserArn=user, Type="GCM", ResourceArn=PINPOINT_APP, EndpointAttributes={"DeviceToken": "t"}
        )
        gone = chime.create_app_instance(Name="gone")["AppInstanceArn"]
        chime.delete_app_instance(AppInstanceArn=gone)

    with EmulatorServer(state_file=state) as second:
        chime = Emulator(second).client()
        assert [a["Name"] for a in chime.list_app_instances()["AppInstances"]] == ["durable"]
        assert chime.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "k", "Value": "v"}]
        assert len(chime.list_app_instance_user_endpoints(AppInstanceUserArn=user)["AppInstanceUserEndpoints"]) == 1


def test_memory_store_reset() -> None:
    store = Store()
    store["users"].put("a", {"x": 1})
    store.reset()
    assert len(store["users"]) == 0


def test_file_store_reset_is_durable(tmp_path: Path) -> None:
    path = str(tmp_path / "s.sqlite")
    store = Store(path)
    store["users"].put("a", {"x": 1})
    store.commit()
    store.reset()
    store.close()
    assert len(Store(path)["users"]) == 0
