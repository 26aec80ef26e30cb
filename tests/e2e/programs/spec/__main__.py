"""A program declared by data: the stack config `test:spec` lists the resources to create.

Each entry: {"type": "AppInstanceUser", "name": "alice", "args": {...}, "opts": {...}, "get": "<id>"}.
A string "${other.attr}" in args is replaced by that attribute of an earlier resource.
"""

import json
from typing import Any

import pulumi

from pulumi_chime_sdk_identity import dynamic_providers

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


for entry in spec["resources"]:
    cls = getattr(dynamic_providers, entry["type"])
    opts = pulumi.ResourceOptions(**resolve(entry.get("opts", {})))
    if "depends_on" in entry:
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(depends_on=[made[d] for d in entry["depends_on"]])
        )
    if "get" in entry:
        made[entry["name"]] = cls.get(entry["name"], resolve(entry["get"]), opts)
    else:
        made[entry["name"]] = cls(entry["name"], opts=opts, **resolve(entry.get("args", {})))
    for attr in entry.get("export", []):
        pulumi.export(f"{entry['name']}.{attr}", getattr(made[entry["name"]], attr))
