"""examples/push_notifications under mocks: the Pinpoint app's ARN reaches every endpoint, tokens stay secret."""

from __future__ import annotations

import runpy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest

from tests.components.pulumi_mocks import DYNAMIC, Program, run

EXAMPLE = Path(__file__).parents[2] / "examples" / "push_notifications" / "__main__.py"
CONFIG = {
    "project:fcmServerKey": "fcm-server-key",
    "project:apnsCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
    "project:apnsPrivateKey": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----",
    "project:aliceAndroidToken": "alice-android-token",
    "project:aliceIphoneToken": "alice-iphone-token",
    "project:bobIphoneToken": "bob-iphone-token",
}
TOKENS = ("alice_android_token", "alice_iphone_token", "bob_iphone_token")


@pytest.fixture
def example() -> Iterator[Program]:
    """The example run under mocks with its secret configuration set, exporting its token Outputs."""
    pulumi.runtime.set_all_config(dict(CONFIG), list(CONFIG))

    def program() -> dict[str, Any]:
        module = runpy.run_path(str(EXAMPLE), run_name="__main__")
        return {name: module[name] for name in ("pinpoint_arn", *TOKENS)} | {"chat": module["chat"].endpoint_ids}

    try:
        yield run(program)
    finally:
        pulumi.runtime.set_all_config({}, [])


def test_the_pinpoint_app_arn_flows_into_every_endpoint(example: Program) -> None:
    pinpoint = example.named("push")
    assert pinpoint.type == "aws:pinpoint/app:App"
    pinpoint_arn = f"arn:aws:mobiletargeting:us-east-1:123456789012:apps/{pinpoint.id}"

    endpoints = example.of_kind("AppInstanceUserEndpoint")
    assert {r.name for r in endpoints} == {
        "chat-alice-endpoint-android",
        "chat-alice-endpoint-iphone",
        "chat-bob-endpoint-iphone",
    }
    assert all(r.type == f"{DYNAMIC}AppInstanceUserEndpoint" for r in endpoints)
    assert {r.inputs["resource_arn"] for r in endpoints} == {pinpoint_arn}
    # Registered only once the app's channels exist: the ARN carries them as dependencies.
    assert all({"push", "push-fcm", "push-apns"} <= r.dependencies for r in endpoints)
    assert example.outputs["pinpoint_arn"] == pinpoint_arn
    assert set(example.outputs["chat"]) == {"alice/android", "alice/iphone", "bob/iphone"}


def test_channels_are_configured_from_secret_config_on_the_same_app(example: Program) -> None:
    application_id = example.named("push").id
    fcm, apns = example.named("push-fcm"), example.named("push-apns")

    assert fcm.type == "aws:pinpoint/gcmChannel:GcmChannel"
    # pulumi-aws sends its inputs under the provider's camelCase names.
    assert fcm.inputs["applicationId"] == application_id
    assert fcm.inputs["apiKey"] == CONFIG["project:fcmServerKey"]
    assert "apiKey" in fcm.secret_inputs
    assert apns.type == "aws:pinpoint/apnsChannel:ApnsChannel"
    assert apns.inputs["applicationId"] == application_id
    assert apns.inputs["defaultAuthenticationMethod"] == "CERTIFICATE"
    assert (apns.inputs["certificate"], apns.inputs["privateKey"]) == (
        CONFIG["project:apnsCertificate"],
        CONFIG["project:apnsPrivateKey"],
    )
    assert {"certificate", "privateKey"} <= apns.secret_inputs


def test_device_tokens_are_secret_outputs_and_reach_their_endpoints_as_secrets(example: Program) -> None:
    assert set(TOKENS) <= example.secret_outputs
    assert [example.outputs[name] for name in TOKENS] == [
        CONFIG["project:aliceAndroidToken"],
        CONFIG["project:aliceIphoneToken"],
        CONFIG["project:bobIphoneToken"],
    ]
    by_endpoint = {
        "chat-alice-endpoint-android": ("GCM", CONFIG["project:aliceAndroidToken"]),
        "chat-alice-endpoint-iphone": ("APNS", CONFIG["project:aliceIphoneToken"]),
        "chat-bob-endpoint-iphone": ("APNS", CONFIG["project:bobIphoneToken"]),
    }
    for name, (kind, token) in by_endpoint.items():
        endpoint = example.named(name)
        assert endpoint.inputs["type"] == kind
        assert endpoint.inputs["endpoint_attributes"] == {"device_token": token}
        assert endpoint.secret_inputs == {"endpoint_attributes"}


def test_the_chime_app_is_in_the_pinpoint_region_and_alice_is_admin(example: Program) -> None:
    assert example.named("chat-app").inputs["region"] == "us-east-1"
    assert example.named("push").inputs["region"] == "us-east-1"
    assert example.names("AppInstanceAdmin") == {"chat-alice-admin"}
