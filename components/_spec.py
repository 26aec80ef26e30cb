"""The MessagingApp spec file: parsing (YAML or JSON), secret config keys, and error reporting.

A spec is validated into :class:`MessagingAppArgs` itself, by the schema its annotations make
(:mod:`._schema`): the file's keys are the arguments' fields, a bot's ``lex`` block is the provider's
``LexConfigurationArgs`` (``bot_alias_arn``, the spelling of 0.1, is accepted for ``lex_bot_alias_arn``).
Only an endpoint's ``device_token_config`` and ``voip_device_token_config`` belong to the file alone: they
name secret stack configuration, read in place of the token. Every problem found is reported at once, one
line each: ``<file>: <dotted path inside the file>: <reason>``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pulumi.runtime.config import is_config_secret

from . import _adopt
from ._args import MessagingAppArgs
from ._schema import validate_spec

DICT_LABEL = "<spec>"
"""How problems name a spec given as a dict rather than a file."""


class SpecError(ValueError):
    """A MessagingApp spec that cannot be used; ``problems`` holds one ``<file>: <path>: <reason>`` per line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(problems))


def problem(label: str, path: str, reason: str) -> str:
    """One problem line: ``<file>: <path>: <reason>`` (no path for the spec as a whole)."""
    return f"{label}: {path}: {reason}" if path else f"{label}: {reason}"


def _duplicate_paths(data: Any, path: tuple[str, ...] = ()) -> list[str]:
    """Dotted paths of keys repeated in one mapping of a parsed file (see ``_Pairs``)."""
    found: list[str] = []
    if isinstance(data, dict):
        found += [".".join((*path, key)) for key in getattr(data, "duplicates", ())]
        for key, value in data.items():
            found += _duplicate_paths(value, (*path, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _duplicate_paths(value, (*path, str(index)))
    return found


class _Pairs(dict[Any, Any]):
    """A parsed mapping that remembers the keys it saw twice (the parsers keep the last silently)."""

    duplicates: tuple[str, ...] = ()


def _json_pairs(pairs: list[tuple[str, Any]]) -> _Pairs:
    mapping = _Pairs()
    repeated: list[str] = []
    for key, value in pairs:
        if key in mapping:
            repeated.append(key)
        mapping[key] = value
    mapping.duplicates = tuple(repeated)
    return mapping


class _DuplicateAwareLoader(yaml.SafeLoader):
    """PyYAML's safe loader, recording repeated mapping keys instead of silently keeping the last."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _Pairs:
    loader.flatten_mapping(node)
    mapping = _Pairs()
    repeated: list[str] = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, "found an unhashable key", key_node.start_mark
            )
        if key in mapping:
            repeated.append(str(key))
        mapping[key] = loader.construct_object(value_node, deep=True)
    mapping.duplicates = tuple(repeated)
    return mapping


_DuplicateAwareLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _parse(path: Path, label: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SpecError([problem(label, "", f"cannot read the file: {error.strerror or error}")]) from None
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            return yaml.load(text, Loader=_DuplicateAwareLoader)  # a SafeLoader subclass: safe
        if suffix == ".json":
            return json.loads(text, object_pairs_hook=_json_pairs)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "syntax"
        raise SpecError([problem(label, where, f"invalid YAML: {error.problem}")]) from None
    except yaml.YAMLError as error:
        raise SpecError([problem(label, "", f"invalid YAML: {error}")]) from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise SpecError([problem(label, where, f"invalid JSON: {error.msg}")]) from None
    raise SpecError([problem(label, "", f"unsupported file type {suffix or '(none)'!r}; use .yaml, .yml or .json")])


_TOKENS = ("device_token", "voip_device_token")


def _secret(path: str, key: Any, label: str, problems: list[str]) -> pulumi.Output[str] | None:
    """The secret stack configuration ``key`` names (``ns:key`` for another namespace), or None and a problem."""
    if not isinstance(key, str) or not key:
        problems.append(problem(label, path, "must be a non-empty string"))
        return None
    namespace, _, bare = key.rpartition(":")
    config = pulumi.Config(namespace or None)
    try:
        value = config.require_secret(bare)
    except pulumi.ConfigMissingError as error:
        reason = f"configuration {error.key!r} is not set (pulumi config set --secret ...)"
        problems.append(problem(label, path, reason))
        return None
    if not is_config_secret(config.full_key(bare)):
        # Stack config is copied whole into the state's `pulumi:providers:pulumi-python` entry: a plain value
        # would sit there in plain text, whatever the endpoint does with it.
        reason = (
            f"configuration {config.full_key(bare)!r} is not a secret, so the token is stored in plain text in "
            f"the stack's state; set it with `pulumi config set --secret {key} <token>`"
        )
        problems.append(problem(label, path, reason))
        return None
    return value


def _endpoint(path: str, endpoint: Any, label: str, problems: list[str]) -> Any:
    """An endpoint of the file with its ``*_config`` keys replaced by the secrets they name."""
    if not isinstance(endpoint, Mapping) or not any(f"{token}_config" in endpoint for token in _TOKENS):
        return endpoint
    plain = {key: value for key, value in endpoint.items() if key not in {f"{token}_config" for token in _TOKENS}}
    # Every problem of the endpoint is reported at once: both pairs, and each config key read.
    if ("device_token" in endpoint) == ("device_token_config" in endpoint):
        problems.append(problem(label, path, "set exactly one of device_token and device_token_config"))
    if "voip_device_token" in endpoint and "voip_device_token_config" in endpoint:
        problems.append(problem(label, path, "set at most one of voip_device_token and voip_device_token_config"))
    for token in _TOKENS:
        if f"{token}_config" in endpoint:
            secret = _secret(f"{path}.{token}_config", endpoint[f"{token}_config"], label, problems)
            # On a problem, a stand-in that passes validation: the problem is reported and nothing is declared.
            plain.setdefault(token, secret if secret is not None else "unread")
    plain.setdefault("device_token", "unread")  # neither given: reported above, not again as missing
    return plain


def _read_config_keys(data: Any, label: str, problems: list[str]) -> Any:
    """The parsed spec with every endpoint's ``*_config`` keys read from secret stack configuration."""
    users = data.get("users") if isinstance(data, Mapping) else None
    if not isinstance(users, Mapping):
        return data
    read: dict[Any, Any] = {}
    for user_id, user in users.items():
        endpoints = user.get("endpoints") if isinstance(user, Mapping) else None
        if isinstance(endpoints, Mapping):
            path = f"users.{user_id}.endpoints"
            user = {
                **user,
                "endpoints": {
                    key: _endpoint(f"{path}.{key}", item, label, problems) for key, item in endpoints.items()
                },
            }
        read[user_id] = user
    return {**data, "users": read}


def load(path_or_dict: str | os.PathLike[str] | Mapping[str, Any], name: str = "<name>") -> MessagingAppArgs:
    """The spec as MessagingAppArgs: parsed, its secret config keys read, validated by the arguments' schema.

    Raises SpecError listing every problem found, each named ``<file>: <path>: <reason>`` (the path as
    given, or ``<spec>`` for a dict). ``name``: the component's, which its children's names start with
    (two entries whose resources would share a name are a problem too).
    """
    if isinstance(path_or_dict, Mapping):
        label, data = DICT_LABEL, dict(path_or_dict)
    else:
        label = os.fspath(path_or_dict)
        data = _parse(Path(label), label)
    problems = [problem(label, path, "duplicate key") for path in _duplicate_paths(data)]
    data = _read_config_keys(data, label, problems)
    args, invalid = validate_spec(MessagingAppArgs, data)
    problems += [problem(label, path, reason) for path, reason in invalid]
    if isinstance(data, Mapping):
        found = _adopt.entry_problems(name, data.get("adopt_id"), data.get("users"), data.get("bots"))
        problems += [problem(label, path, reason) for path, reason in found]
    if problems or args is None:
        raise SpecError(problems)
    return args
