"""Helpers shared by the tests: constants and a handle on a running emulator."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import boto3
from botocore.config import Config

from pulumi_chime_sdk_identity.emulator import EmulatorServer

REGION = "us-east-1"
LEX_ALIAS = "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIJ/KLMNOPQRST"
PINPOINT_APP = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef"


class Emulator:
    """A running emulator plus helpers to read its request log and change its options."""

    def __init__(self, server: EmulatorServer) -> None:
        self.server = server
        self.url = server.url

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        with urllib.request.urlopen(request) as response:
            return json.load(response)

    def reset(self) -> None:
        self._call("POST", "/_emulator/reset", {})

    def configure(self, **options: Any) -> dict[str, Any]:
        return dict(self._call("POST", "/_emulator/config", options))

    def requests(self, since: int = 0) -> list[dict[str, Any]]:
        return list(self._call("GET", f"/_emulator/requests?since={since}")["requests"])

    def operations(self, since: int = 0) -> list[str]:
        return [entry["operation"] for entry in self.requests(since)]

    def client(
        self, *, validate: bool = True, region: str = REGION, access_key: str = "AKIDEXAMPLE", **config: Any
    ) -> Any:
        return boto3.client(
            "chime-sdk-identity",
            endpoint_url=self.url,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key="secret",
            config=Config(parameter_validation=validate, **config),
        )
