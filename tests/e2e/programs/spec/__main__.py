"""A program declared by data: the stack config `test:spec` lists the resources to create.

Each entry: {"type": "AppInstanceUser", "name": "alice", "args": {...}, "opts": {...}, "get": "<id>"}.
A string "${other.attr}" in args is replaced by that attribute of an earlier resource.
{"type": "MessagingApp", "name": "chat", "spec": {...}} builds the component from a spec dict.
"opts" may hold "aliases": [{"name": "old-name"}].
"""

import json
from typing import Any

import pulumi

from pulumi_chime_sdk_identity import components, dynamic_providers

spec = json.loads(pulumi.Config("test").require("spec"))
made: dict[str, Any] = {}


def resolve(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("${") and value.endswith("}"):
        name, _, attr = value[2:-1].partition(".")
        return getattr(made[name], attr)
    if isinstance(value, dict):
        return {key: resolve(item) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item) for item in value]
    return value


def declare(entry: dict[str, Any], opts: pulumi.ResourceOptions) -> Any:
    if entry["type"] == "MessagingApp":
        return components.MessagingApp.from_spec(entry["name"], entry["spec"], opts)
    cls = getattr(dynamic_providers, entry["type"])
    if "depends_on" in entry:
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(depends_on=[made[d] for d in entry["depends_on"]])
        )
    if "get" in entry:
        return cls.get(entry["name"], resolve(entry["get"]), opts)
    return cls(entry["name"], opts=opts, **resolve(entry.get("args", {})))


for entry in spec["resources"]:
    options = resolve(entry.get("opts", {}))
    if "aliases" in options:
        options["aliases"] = [pulumi.Alias(**alias) for alias in options["aliases"]]
    made[entry["name"]] = declare(entry, pulumi.ResourceOptions(**options))
    for attr in entry.get("export", []):
        pulumi.export(f"{entry['name']}.{attr}", getattr(made[entry["name"]], attr))
