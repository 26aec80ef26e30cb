"""Run Pulumi programs under ``pulumi.runtime.set_mocks`` and record what they register.

The mocks answer like the real providers would: ARNs built from the parent ARN, endpoint IDs,
admin IDs ``<app_instance_arn>|<admin_arn>``. A recording monitor keeps, for every registration,
its type, name, parent URN, aliases and inputs (secret inputs unwrapped and listed apart).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor

from tests.support import REGION

ACCOUNT = "123456789012"
DYNAMIC = "pulumi-python:dynamic/chimesdkidentity:"


def _hex(seed: str, length: int = 32) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:length]


def _uuid(seed: str) -> str:
    h = _hex(seed)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


@dataclass
class Registered:
    """One resource registration as the engine saw it."""

    type: str
    name: str
    parent_urn: str
    custom: bool
    alias_names: list[str]
    alias_parents: list[str]
    """The parent URN each alias gives ("" where the alias keeps the parent)."""
    dependencies: set[str]
    """Names of the resources it depends on (explicitly or through its inputs)."""
    inputs: dict[str, Any] = field(default_factory=dict)
    secret_inputs: set[str] = field(default_factory=set)
    id: str | None = None

    @property
    def kind(self) -> str:
        """The short type: ``AppInstance``, ``MessagingUser``, ``App``..."""
        return self.type.rsplit(":", 1)[-1]

    @property
    def parent(self) -> str:
        """The parent's resource name (the last URN segment)."""
        return self.parent_urn.rsplit("::", 1)[-1]


class ChimeMocks(pulumi.runtime.Mocks):
    """Outputs shaped like the real providers' for the six dynamic types and the pinpoint resources used."""

    def __init__(self) -> None:
        self.created: dict[tuple[str, str], tuple[dict[str, Any], set[str], str]] = {}
        self._lock = threading.Lock()

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        secret = {key for key, value in args.inputs.items() if rpc.is_rpc_secret(value)}
        inputs = {
            key: rpc.unwrap_rpc_secret(value) if key in secret else value
            for key, value in args.inputs.items()
            if key != "__provider"
        }
        resource_id, outputs = self._answer(args.typ, args.name, inputs)
        with self._lock:
            self.created[(args.typ, args.name)] = (inputs, secret, resource_id)
        # Secret inputs go back as they came (wrapped), like the engine does with additional_secret_outputs.
        return resource_id, {**{k: v for k, v in args.inputs.items() if k != "__provider"}, **outputs}

    def _answer(self, typ: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        kind = typ.removeprefix(DYNAMIC)
        if kind == "AppInstance":
            region = inputs.get("region") or REGION
            arn = f"arn:aws:chime:{region}:{ACCOUNT}:app-instance/{_uuid(name)}"
            return arn, {"arn": arn}
        if kind == "AppInstanceUser":
            arn = f"{inputs['app_instance_arn']}/user/{inputs['app_instance_user_id']}"
            return arn, {"arn": arn}
        if kind == "AppInstanceBot":
            arn = f"{inputs['app_instance_arn']}/bot/{_uuid(name)}"
            return arn, {"arn": arn}
        if kind == "AppInstanceAdmin":
            return f"{inputs['app_instance_arn']}|{inputs['admin_arn']}", {}
        if kind == "AppInstanceUserEndpoint":
            endpoint_id = _hex(name)
            return f"{inputs['app_instance_user_arn']}|{endpoint_id}", {
                "endpoint_id": endpoint_id,
                "endpoint_state": {"status": "ACTIVE"},
            }
        if kind == "AppInstanceRetentionSettings":
            return str(inputs["app_instance_arn"]), {}
        if typ == "aws:pinpoint/app:App":
            application_id = _hex(name)
            arn = f"arn:aws:mobiletargeting:{REGION}:{ACCOUNT}:apps/{application_id}"
            return application_id, {"arn": arn, "applicationId": application_id}  # the provider's camelCase names
        if typ.startswith("aws:pinpoint/"):
            return str(inputs.get("applicationId", name)), {}
        return f"{name}-id", {}  # components: the engine gives them no ID

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


class RecordingMonitor(MockMonitor):
    """The SDK's mock monitor, also keeping each registration's parent and aliases."""

    def __init__(self, mocks: ChimeMocks) -> None:
        super().__init__(mocks)
        self.chime = mocks
        self.registrations: list[Registered] = []
        self.registered_outputs: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - the gRPC method name
        if request.type != "pulumi:pulumi:Stack":
            registered = Registered(
                type=request.type,
                name=request.name,
                parent_urn=request.parent,
                custom=bool(request.custom),
                alias_names=[alias.spec.name for alias in request.aliases],
                alias_parents=[alias.spec.parentUrn for alias in request.aliases],
                dependencies={urn.rsplit("::", 1)[-1] for urn in request.dependencies},
            )
            with self._lock:
                self.registrations.append(registered)
        return super().RegisterResource(request)  # type: ignore[no-untyped-call]

    def RegisterResourceOutputs(self, request: Any) -> Any:  # noqa: N802 - the gRPC method name
        with self._lock:
            self.registered_outputs.setdefault(request.urn.rsplit("::", 1)[-1], []).append(
                ",".join(sorted(request.outputs.keys()))
            )
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]


@dataclass
class Program:
    """What a program registered and what its outputs resolved to."""

    resources: list[Registered]
    outputs: dict[str, Any]
    secret_outputs: set[str]
    registered_outputs: dict[str, list[str]]
    """Per component name, each ``register_outputs`` call's output names (comma-joined, sorted)."""

    def named(self, name: str) -> Registered:
        """The one resource registered under name."""
        found = [r for r in self.resources if r.name == name]
        assert len(found) == 1, (name, [(r.type, r.name) for r in found])
        return found[0]

    def of_kind(self, kind: str) -> list[Registered]:
        return [r for r in self.resources if r.kind == kind]

    def names(self, kind: str | None = None) -> set[str]:
        return {r.name for r in self.resources if kind is None or r.kind == kind}


def run(program: Callable[[], Mapping[str, Any] | None], *, preview: bool = False) -> Program:
    """Run program under fresh mocks (in a ``@pulumi.runtime.test`` function); resolve the outputs it returns."""
    mocks = ChimeMocks()
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, preview=preview, monitor=monitor)
    outputs: dict[str, Any] = {}
    secret: set[str] = set()

    def keep(name: str, value: Any, is_secret: bool) -> None:
        outputs[name] = value
        if is_secret:
            secret.add(name)

    def resolve(name: str, value: Any) -> pulumi.Output[None]:
        output = pulumi.Output.from_input(value)
        is_secret: pulumi.Output[bool] = pulumi.Output.from_input(output.is_secret())
        return pulumi.Output.all(output, is_secret).apply(lambda pair: keep(name, pair[0], pair[1]))

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def body() -> pulumi.Output[list[Any]]:
        exported = program() or {}
        return pulumi.Output.all(*(resolve(name, value) for name, value in exported.items()))

    body()
    for registered in monitor.registrations:
        inputs, secret_inputs, resource_id = mocks.created.get((registered.type, registered.name), ({}, set(), None))
        registered.inputs, registered.secret_inputs, registered.id = inputs, secret_inputs, resource_id
    return Program(
        resources=list(monitor.registrations),
        outputs=outputs,
        secret_outputs=secret,
        registered_outputs=dict(monitor.registered_outputs),
    )


APP_OUTPUTS = ("app_instance_arn", "user_arns", "bot_arns", "admin_ids", "endpoint_ids")


def run_app(make: Callable[[], Any]) -> Program:
    """Run a program that builds one MessagingApp (``make()`` returns it), exporting all its outputs."""

    def program() -> dict[str, Any]:
        app = make()
        return {name: getattr(app, name) for name in APP_OUTPUTS}

    return run(program)
