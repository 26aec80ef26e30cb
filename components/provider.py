"""The components for every Pulumi language: a component provider on Pulumi's own provider host.

TypeScript, Go, YAML (any Pulumi language) use :class:`MessagingApp` and :class:`MessagingUser` through this
provider, package ``chime-sdk-identity``: ``pulumi package add <this repository>`` runs it to read its schema
and generate a typed SDK, and the engine runs it to construct each component. It is started as
``python -m pulumi_chime_sdk_identity`` (the repository's ``PulumiPlugin.yaml``, runtime python) or as the
console script ``pulumi-resource-chime-sdk-identity`` (a plugin binary, for the package installed from its wheel).

Construct decodes the inputs (:mod:`._wire`) into the very argument dataclasses a Python program passes and
builds the component, whose children are the dynamic resources: every guarantee of the Python components holds
because it is the same code. What crosses gRPC differs only in form: camelCase names, numbers as floats (whole
ones are taken for integers), values not known yet as Outputs. A problem is refused before anything is declared,
named as the caller wrote it (``users.alice.retentionDays``), as a Python program's ``ValueError`` would be.

The children's provider is Pulumi's Python dynamic provider, which the engine starts from the *program's*
runtime options (``PULUMI_RUNTIME_VIRTUALENV``): a program in another language must name the virtualenv that
holds this package (``runtime.options.virtualenv`` in its ``Pulumi.yaml``). Construct checks that it does and
otherwise refuses with the line to add, at ``pulumi preview``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from functools import cache
from importlib import metadata
from typing import Any

import pulumi
import pulumi.provider
from pulumi.errors import InputPropertiesError

from ._args import MessagingAppArgs, MessagingUserArgs
from ._spec import SpecError, load
from ._wire import Component, app_entry_problems, decode, package_schema, user_entry_problems, wire_name
from .messaging_app import MessagingApp
from .messaging_user import MessagingUser

__all__ = ["COMPONENTS", "ComponentProvider", "main", "schema"]

DISTRIBUTION = "pulumi-chime-sdk-identity"
SPEC_FILE = "specFile"

COMPONENTS = (
    Component(
        MessagingApp,
        MessagingAppArgs,
        {
            SPEC_FILE: {
                "type": "string",
                "plain": True,
                "description": "Path of a YAML or JSON spec file (the format of `MessagingApp.from_spec`, with "
                "snake_case keys), relative to the program's directory: the whole app, users and bots included. "
                "Given it, give no other input. Device tokens come from secret stack configuration "
                "(`device_token_config: <key>`).",
            }
        },
    ),
    Component(MessagingUser, MessagingUserArgs),
)
_BY_TOKEN = {component.token: component for component in COMPONENTS}
# The classes construct builds: the components under the package's type tokens, as the SDKs name them.
_SERVED = {
    component.token: type(component.cls.__name__, (component.cls,), {"type_token": component.token})
    for component in COMPONENTS
}


def version() -> str:
    """The package's version: also the plugin's and the generated SDKs'."""
    return metadata.version(DISTRIBUTION)


def schema() -> dict[str, Any]:
    """The package schema other languages' SDKs are generated from."""
    return package_schema(list(COMPONENTS), version())


def _refused(component: str, name: str, problems: list[tuple[str, str]]) -> InputPropertiesError:
    """Every problem in one message, a line each naming its input. Not as the error's property list: the engine
    prints the value of each property listed there, and most of these values are sensitive (names, metadata,
    tags, user ids, device tokens)."""
    lines = "\n".join(f"  {path}: {reason}" if path else f"  {reason}" for path, reason in problems)
    return InputPropertiesError(f"{component} {name!r}: invalid inputs:\n{lines}", [])


@cache
def _dynamic_provider_problem() -> str | None:
    """Why Pulumi's Python dynamic provider would not find this package, as its launcher picks a Python; or None.

    The launcher (``pulumi-resource-pulumi-python``) runs ``$PULUMI_RUNTIME_VIRTUALENV/bin/python`` (the program's
    ``runtime.options.virtualenv``, relative to the program's directory), else ``$PULUMI_PYTHON_CMD`` or ``python3``
    from PATH. This process gets the same runtime options from the engine.
    """
    venv = os.environ.get("PULUMI_RUNTIME_VIRTUALENV") or (
        ".venv" if os.environ.get("PULUMI_RUNTIME_TOOLCHAIN") == "uv" else ""
    )
    if venv:
        python = os.path.join(os.path.abspath(venv), "bin", "python")
        source = f"the program's virtualenv {venv!r} (runtime.options.virtualenv)"
        if os.path.realpath(os.path.abspath(venv)) == os.path.realpath(sys.prefix):
            return None
    else:
        command = os.environ.get("PULUMI_PYTHON_CMD") or "python3"
        python = shutil.which(command) or command
        source = f"{command} from PATH, since the program names no virtualenv"
    try:
        found = subprocess.run(
            [python, "-c", "import pulumi_chime_sdk_identity.dynamic_providers"],
            capture_output=True,
            timeout=120,
            check=False,
        ).returncode
    except (OSError, subprocess.TimeoutExpired):
        found = -1
    if found == 0:
        return None
    return (
        f"the resources these components declare are run by Pulumi's Python dynamic provider, which would run "
        f"{source}, where {DISTRIBUTION} is not installed. Name the virtualenv that holds it in the program's "
        f"Pulumi.yaml, under runtime: `options: {{virtualenv: {sys.prefix}}}` (or export "
        f"PULUMI_RUNTIME_VIRTUALENV={sys.prefix})"
    )


def _spec_args(name: str, inputs: Mapping[str, Any]) -> Any:
    others = sorted(key for key in inputs if key != SPEC_FILE)
    path = inputs[SPEC_FILE]
    if others:
        raise _refused("MessagingApp", name, [(SPEC_FILE, f"cannot be combined with {', '.join(others)}")])
    if not isinstance(path, str) or not path:
        raise _refused("MessagingApp", name, [(SPEC_FILE, "must be the path of a spec file")])
    try:
        return load(path, name)
    except SpecError as error:
        problems = "\n  ".join(error.problems)
        raise InputPropertiesError(f"MessagingApp {name!r}: invalid spec file:\n  {problems}", []) from None


class ComponentProvider(pulumi.provider.Provider):
    """Serves :data:`COMPONENTS`: the schema, and construct."""

    def __init__(self) -> None:
        super().__init__(version(), json.dumps(schema()))

    def construct(
        self,
        name: str,
        resource_type: str,
        inputs: Mapping[str, pulumi.Input[Any]],
        options: pulumi.ResourceOptions | None = None,
    ) -> pulumi.provider.ConstructResult:
        component = _BY_TOKEN.get(resource_type)
        if component is None:
            served = ", ".join(sorted(_BY_TOKEN))
            raise InputPropertiesError(f"unknown resource type {resource_type}; this package serves {served}", [])
        kind = component.cls.__name__
        problem = _dynamic_provider_problem()
        if problem is not None:
            raise InputPropertiesError(f"{kind} {name!r}: {problem}", [])
        if component.cls is MessagingApp and SPEC_FILE in inputs:
            args = _spec_args(name, inputs)
        else:
            checks = app_entry_problems(name) if component.cls is MessagingApp else user_entry_problems
            args, problems = decode(component.args, inputs, checks)
            if problems:
                raise _refused(kind, name, problems)
        try:
            instance = _SERVED[resource_type](name, args, options)
        except ValueError as error:  # what decode cannot see; named as a Python program would see it
            raise InputPropertiesError(str(error), []) from None
        state = {wire_name(attribute): getattr(instance, attribute) for attribute in component.outputs()}
        return pulumi.provider.ConstructResult(urn=instance.urn, state=state)


def main() -> None:
    """Serve the components: the entry point of the plugin (``python -m pulumi_chime_sdk_identity``)."""
    pulumi.provider.main(ComponentProvider(), sys.argv[1:])
