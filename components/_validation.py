"""Construction-time checks of component inputs, with the API's own limits (botocore's model).

Only plain values are checked: an ``Output`` or other awaitable is not known yet and is left to the
resource's provider, which checks it again during ``pulumi preview``. Messages name the input by its
dotted path and never repeat the value (Chime marks most of these strings sensitive).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from typing import Annotated, Any

import pulumi
from pydantic import TypeAdapter, ValidationError

from pulumi_chime_sdk_identity.dynamic_providers._schema import region_rule, shape_problem, tags_rule

KEY_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
"""Stable keys (bots, endpoints) become part of resource names: short, no spaces, no ``::``."""
KEY_RULE = "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"

_TAGS: TypeAdapter[dict[str, str]] = TypeAdapter(Annotated[dict[str, str], tags_rule])
_REGION: TypeAdapter[str] = TypeAdapter(Annotated[str, region_rule])


def _rule_problem(adapter: TypeAdapter[Any], value: object) -> str | None:
    try:
        adapter.validate_python(value, strict=True)
    except ValidationError as error:
        return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in error.errors(include_input=False))
    return None


def is_known(value: object) -> bool:
    """Whether value can be checked now: not an Output, not an awaitable, nothing unknown inside a mapping."""
    if isinstance(value, pulumi.Output) or inspect.isawaitable(value):
        return False
    if isinstance(value, Mapping):
        return all(is_known(item) for item in value.values())
    return True


def key_problem(key: object) -> str | None:
    """Why a stable key (bot key, endpoint key) cannot name resources, or None."""
    if not isinstance(key, str) or not key:
        return "must be a non-empty string"
    return None if KEY_PATTERN.fullmatch(key) else KEY_RULE


class Problems:
    """Collects ``<input path>: <reason>`` lines, then raises them as one ValueError."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, path: str, reason: str) -> None:
        self.lines.append(f"{path}: {reason}")

    def string(self, path: str, shape: str, value: object) -> None:
        """Check a string input against the model shape ``shape`` (None and unknown values pass)."""
        if value is None or not is_known(value):
            return
        if not isinstance(value, str):
            self.add(path, "must be a string")
            return
        problem = shape_problem(shape, value)
        if problem is not None:
            self.add(path, problem)

    def integer(self, path: str, shape: str, value: object) -> None:
        """Check an integer input against the model shape ``shape`` (None and unknown values pass)."""
        if value is None or not is_known(value):
            return
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, "must be an integer")
            return
        problem = shape_problem(shape, value)
        if problem is not None:
            self.add(path, problem)

    def boolean(self, path: str, value: object) -> None:
        """Check a plain flag: it decides whether a child resource exists, so it cannot wait for an Output."""
        if not isinstance(value, bool):
            self.add(path, "must be a plain bool (not an Output): it decides which resources exist")

    def tags(self, path: str, value: object) -> None:
        """Check a tag map with the providers' rules (count, lengths, no ``aws:`` prefix)."""
        if value is None or not is_known(value):
            return
        if not isinstance(value, Mapping):
            self.add(path, "must be a mapping of tag keys to values")
            return
        if not all(isinstance(key, str) and isinstance(item, str) for key, item in value.items()):
            self.add(path, "keys and values must be strings")
            return
        problem = _rule_problem(_TAGS, dict(value))
        if problem is not None:
            self.add(path, problem)

    def region(self, path: str, value: object) -> None:
        """Check a region against those where the Chime SDK Identity API exists."""
        if value is None or not is_known(value):
            return
        if not isinstance(value, str):
            self.add(path, "must be a string")
            return
        problem = _rule_problem(_REGION, value)
        if problem is not None:
            self.add(path, problem)

    def key(self, path: str, key: object) -> None:
        """Check a stable key that becomes part of resource names."""
        problem = key_problem(key)
        if problem is not None:
            self.add(path, problem)

    def raise_if_any(self, component: str, resource_name: str) -> None:
        """Raise one ValueError naming the component and listing every problem, if there are any."""
        if self.lines:
            listed = "\n".join(f"  {line}" for line in self.lines)
            raise ValueError(f"{component} {resource_name!r}: invalid inputs:\n{listed}")
