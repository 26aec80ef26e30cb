"""The quickstart's app as a TypeScript, Go or YAML program, written from one description of it.

The walks in ``test_languages.py`` edit a MessagingApp the way a user edits their program, in each language.
An app is described once, as the component's inputs with the schema's camelCase names; :func:`render` writes
the program file of a language for it (``index.ts``, ``main.go``, or ``Pulumi.yaml``'s resources). A value
given as :func:`secret` ``(key)`` (:data:`SECRET` is Alice's device token) is read from the stack's secret
config ``key``; any other string is a literal in the program. The initial app is the committed example's
(``examples/<language>``): the walks check that the rendered program and the example declare the same resources.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import yaml

from tests.support import PINPOINT_APP

App = dict[str, Any]
LANGUAGES = ("typescript", "go", "yaml")
HOSTS = {"typescript": "nodejs", "go": "go", "yaml": "yaml"}
_SECRET = re.compile(r"<secret config (\w+)>")


def secret(key: str) -> str:
    """A value read from the stack's secret configuration ``key``."""
    return f"<secret config {key}>"


SECRET_KEY = "aliceDeviceToken"
SECRET = secret(SECRET_KEY)
PROGRAM_FILES = {"typescript": "index.ts", "go": "main.go", "yaml": "Pulumi.yaml"}


def initial_app(language: str) -> App:
    """The app of ``examples/<language>``."""
    return {
        "name": f"{language}-chat",
        "metadata": '{"tier": "demo"}',
        "tags": {"project": f"{language}-example", "managed-by": "pulumi"},
        "retentionDays": 30,
        "users": {
            "alice": {
                "name": "Alice",
                "admin": True,
                "endpoints": {"phone": {"type": "GCM", "resourceArn": PINPOINT_APP, "deviceToken": SECRET}},
            },
            "bob": {"name": "Bob"},
        },
    }


def _typescript(app: App) -> str:
    literal = re.sub(r'"<secret config (\w+)>"', r'config.requireSecret("\1")', json.dumps(app, indent=4))
    return (
        'import * as pulumi from "@pulumi/pulumi";\n'
        'import * as chime from "pulumi-chime-sdk-identity";\n\n'
        "const config = new pulumi.Config();\n"
        f'const app = new chime.MessagingApp("chat", {literal});\n\n'
        "export const appInstanceArn = app.appInstanceArn;\n"
        "export const userArns = app.userArns;\n"
    )


# Fields whose Go type is a plain pointer (they decide which resources exist), not an Input.
_GO_PLAIN = frozenset({"admin", "adopt", "inheritTags"})
_GO_OBJECTS = {"users": "User", "endpoints": "Endpoint", "bots": "Bot"}


def _go_value(key: str, value: Any, indent: str) -> str:
    if isinstance(value, str) and (match := _SECRET.fullmatch(value)):
        return f'cfg.RequireSecret("{match.group(1)}")'
    if key in _GO_OBJECTS:
        kind = _GO_OBJECTS[key]
        entries = "".join(
            f"{indent}\t{json.dumps(name)}: chimesdkidentity.{kind}Args{{\n"
            f"{_go_fields(entry, indent + chr(9) * 2)}{indent}\t}},\n"
            for name, entry in value.items()
        )
        return f"map[string]chimesdkidentity.{kind}Input{{\n{entries}{indent}}}"
    if isinstance(value, dict):
        pairs = ", ".join(f"{json.dumps(k)}: pulumi.String({json.dumps(v)})" for k, v in value.items())
        return f"pulumi.StringMap{{{pairs}}}"
    if isinstance(value, bool):
        return f"pulumi.BoolRef({json.dumps(value)})" if key in _GO_PLAIN else f"pulumi.Bool({json.dumps(value)})"
    if isinstance(value, int):
        return f"pulumi.Int({value})"
    return f"pulumi.String({json.dumps(value)})"


def _go_fields(fields: dict[str, Any], indent: str) -> str:
    return "".join(
        f"{indent}{key[0].upper()}{key[1:]}: {_go_value(key, value, indent)},\n" for key, value in fields.items()
    )


def _go(app: App) -> str:
    return (
        "package main\n\n"
        "import (\n"
        '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"\n'
        '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"\n\n'
        '\t"pulumi-chime-sdk-identity/sdk/go/chimesdkidentity"\n'
        ")\n\n"
        "func main() {\n"
        "\tpulumi.Run(func(ctx *pulumi.Context) error {\n"
        '\t\tcfg := config.New(ctx, "")\n'
        "\t\t_ = cfg\n"
        '\t\tapp, err := chimesdkidentity.NewMessagingApp(ctx, "chat", &chimesdkidentity.MessagingAppArgs{\n'
        f"{_go_fields(app, chr(9) * 3)}"
        "\t\t})\n"
        "\t\tif err != nil {\n\t\t\treturn err\n\t\t}\n"
        '\t\tctx.Export("appInstanceArn", app.AppInstanceArn)\n'
        '\t\tctx.Export("userArns", app.UserArns)\n'
        "\t\treturn nil\n"
        "\t})\n"
        "}\n"
    )


def _with_config(value: Any) -> Any:
    if isinstance(value, str) and (match := _SECRET.fullmatch(value)):
        return "${" + match.group(1) + "}"
    if isinstance(value, dict):
        return {key: _with_config(item) for key, item in value.items()}
    return value


def render(language: str, app: App, directory: Path) -> None:
    """Write the program of ``app`` in ``language`` into the program folder ``directory``."""
    path = directory / PROGRAM_FILES[language]
    if language == "typescript":
        path.write_text(_typescript(app))
    elif language == "go":
        path.write_text(_go(app))
    else:
        project = yaml.safe_load(path.read_text())
        keys = sorted(set(_SECRET.findall(json.dumps(app))))
        project["config"] = {**(project.get("config") or {}), **{k: {"type": "string", "secret": True} for k in keys}}
        project["resources"] = {"chat": {"type": "chime-sdk-identity:MessagingApp", "properties": _with_config(app)}}
        project["outputs"] = {"appInstanceArn": "${chat.appInstanceArn}", "userArns": "${chat.userArns}"}
        path.write_text(yaml.safe_dump(project, sort_keys=False))


def edited(app: App, change: Any) -> App:
    """A copy of ``app`` with ``change(copy)`` applied."""
    result = copy.deepcopy(app)
    change(result)
    return result
