"""Helpers shared by the tests: constants and a handle on the session's emulator."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

from pulumi_chime_sdk_identity.emulator import EmulatorClient, EmulatorServer

REGION = "us-east-1"
LEX_ALIAS = "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIJ/KLMNOPQRST"
PINPOINT_APP = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef"


class Emulator(EmulatorClient):
    """The session's emulator: its public introspection client, the server itself, and boto3 clients on it."""

    def __init__(self, server: EmulatorServer) -> None:
        super().__init__(server.url)
        self.server = server

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
