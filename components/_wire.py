"""The components as other Pulumi languages see them: a package schema, and arguments from the wire.

Both are derived from the argument types' own annotations, the one schema :mod:`._schema` validates with,
never written by hand:

- :func:`package_schema`: the Pulumi package schema of ``chime-sdk-identity``, from which ``pulumi package add``
  generates the TypeScript, Go and other SDKs. Each component is a resource ``chime-sdk-identity:index:<Name>``
  with ``isComponent``; the argument dataclasses and TypedDicts become object types named without their
  ``Args`` suffix (``UserArgs`` is ``chime-sdk-identity:index:User``); property names are camelCase; a field that
  is not a ``pulumi.Input`` (a flag or a mapping whose keys decide which resources exist) is ``plain``; a field
  marked :data:`~pulumi_chime_sdk_identity.dynamic_providers.rules.SECRET` is ``secret``; descriptions are the
  fields' docstrings.
- :func:`decode`: the inputs a component provider receives (camelCase keys, every number a float, values that
  are not known yet as Outputs) as the argument dataclasses, checked by the same models as a program's arguments.
  Problems are named as the caller wrote them (``users.alice.endpoints.phone.deviceToken``).
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import types
import typing
from collections.abc import Awaitable, Callable, Mapping
from functools import cache
from typing import Annotated, Any, NotRequired, Required, Union

import pulumi
from pulumi.provider.experimental.analyzer import Analyzer

from pulumi_chime_sdk_identity.dynamic_providers.rules import SECRET

from . import _adopt
from ._schema import _PULUMI_NAMES, _path, model, validate_spec

PACKAGE = "chime-sdk-identity"
"""The package name other languages use: type tokens are ``chime-sdk-identity:index:<Name>``."""
MODULE = "index"


def wire_name(name: str) -> str:
    """A Python field name as Pulumi schemas spell it: ``retention_days`` is ``retentionDays``."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def type_token(source: type) -> str:
    """The schema token of an argument type: ``chime-sdk-identity:index:User`` for ``UserArgs``."""
    return f"{PACKAGE}:{MODULE}:{source.__name__.removesuffix('Args')}"


def _is_deferred(member: Any) -> bool:
    return (typing.get_origin(member) or member) in (pulumi.Output, Awaitable)


_ROLES = re.compile(r":(?:class|meth|func|data|mod|attr):`~?([^`]+)`")
_SNAKE = re.compile(r"`([a-z][a-z0-9]*(?:_[a-z0-9]+)+)`")


def _text(doc: str | None, *, first_paragraph: bool = False) -> str | None:
    """A docstring as a schema description: Markdown for reStructuredText, and field names as the SDKs spell them.

    ``first_paragraph``: a class's summary, without the Python examples that follow it.
    """
    if not doc:
        return None
    cleaned = inspect.cleandoc(doc)
    if first_paragraph:
        cleaned = cleaned.split("\n\n", 1)[0]
    cleaned = _ROLES.sub(lambda match: f"``{match.group(1).rsplit('.', 1)[-1]}``", cleaned).replace("``", "`")
    return _SNAKE.sub(lambda match: f"`{wire_name(match.group(1))}`", cleaned)


class _Schema:
    """One package schema under construction: the object types found so far, and their docstrings."""

    def __init__(self) -> None:
        self.types: dict[str, dict[str, Any]] = {}
        self._docs = Analyzer(PACKAGE)

    def describe(self, owner: type, name: str) -> str | None:
        """The docstring of field ``name``, from the class of ``owner``'s MRO that declares it."""
        for cls in owner.__mro__:
            if name in inspect.get_annotations(cls):
                return _text(self._docs.get_docstring(cls, name))
        return None

    def property(self, annotation: Any) -> tuple[dict[str, Any], bool]:
        """The schema of one annotation, and whether it is plain (no ``pulumi.Input``)."""
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin in (NotRequired, Required):
            return self.property(args[0])
        if origin is Annotated:
            spec, plain = self.property(args[0])
            return ({**spec, "secret": True} if any(item is SECRET for item in args[1:]) else spec), plain
        if origin in (Union, types.UnionType):
            kept = [member for member in args if member is not type(None) and not _is_deferred(member)]
            spec, plain = self.property(kept[0])
            return spec, plain and len(kept) + (type(None) in args) == len(args)
        if origin in (dict, Mapping):
            items, items_plain = self.property(args[1])
            # An object in a mapping is never plain: Go's code generator refers to the input type of a plain
            # object in a map (UserArgs) but generates only its plain type (User). A whole entry given as an
            # Output is refused by the check instead, naming the entry.
            return {
                "type": "object",
                "additionalProperties": {**items, **_plain(items_plain and "$ref" not in items)},
            }, True
        if dataclasses.is_dataclass(annotation) or typing.is_typeddict(annotation):
            return {"$ref": f"#/types/{self.object_type(annotation)}"}, True
        scalars = {str: "string", bool: "boolean", int: "integer", float: "number"}
        if annotation in scalars:
            return {"type": scalars[annotation]}, True
        raise TypeError(f"no schema type for {annotation!r}")

    def object_type(self, source: type) -> str:
        token = type_token(source)
        if token not in self.types:
            self.types[token] = {}  # first, so that a type refering to itself stops here
            properties, required = self.properties(source)
            self.types[token] = {
                "type": "object",
                "description": _text(source.__doc__, first_paragraph=True),
                "properties": properties,
                "required": required,
            }
        return token

    def properties(self, source: type) -> tuple[dict[str, Any], list[str]]:
        """The properties of an argument type, and the wire names of the required ones."""
        hints = typing.get_type_hints(source, localns=_PULUMI_NAMES, include_extras=True)
        if dataclasses.is_dataclass(source):
            names = [item.name for item in dataclasses.fields(source)]
            required = [
                item.name
                for item in dataclasses.fields(source)
                if item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING
            ]
        else:
            names = list(hints)
            keys = getattr(source, "__required_keys__", ())
            required = [name for name in names if name in keys and _required(hints[name])]
        properties = {}
        for name in names:
            spec, plain = self.property(hints[name])
            properties[wire_name(name)] = {**spec, **_plain(plain), "description": self.describe(source, name)}
        return properties, [wire_name(name) for name in required]


def _plain(plain: bool) -> dict[str, Any]:
    return {"plain": True} if plain else {}


def _required(hint: Any) -> bool:
    # With postponed annotations Python 3.11 counts a NotRequired key as required: ask the hint itself.
    return typing.get_origin(hint) is not NotRequired


@dataclasses.dataclass(frozen=True)
class Component:
    """A component as the provider serves it: its class, its arguments' type, and inputs only the wire has."""

    cls: type[pulumi.ComponentResource]
    args: type
    extra_inputs: Mapping[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    """Wire inputs beyond the arguments' fields (``specFile``); while one is given, no field is required."""

    @property
    def token(self) -> str:
        return f"{PACKAGE}:{MODULE}:{self.cls.__name__}"

    def outputs(self) -> dict[str, Any]:
        """The component's ``pulumi.Output`` attributes: python name -> annotation."""
        # Its own annotations only: the SDK's base classes declare theirs with names their modules alone know.
        own = type("Own", (), {"__annotations__": inspect.get_annotations(self.cls)})
        own.__module__ = self.cls.__module__
        hints = typing.get_type_hints(own)
        return {name: hint for name, hint in hints.items() if typing.get_origin(hint) is pulumi.Output}


def _resource(component: Component, schema: _Schema) -> dict[str, Any]:
    inputs, required = schema.properties(component.args)
    inputs.update(component.extra_inputs)
    outputs = {
        wire_name(name): {
            **_output(schema.property(typing.get_args(hint)[0])[0]),
            "description": schema.describe(component.cls, name),
        }
        for name, hint in component.outputs().items()
    }
    return {
        "isComponent": True,
        "description": _text(component.cls.__doc__, first_paragraph=True),
        "inputProperties": inputs,
        "requiredInputs": [] if component.extra_inputs else required,
        "properties": outputs,
        "required": [
            wire_name(name)
            for name, hint in component.outputs().items()
            if type(None) not in typing.get_args(typing.get_args(hint)[0])
        ],
    }


def _output(spec: dict[str, Any]) -> dict[str, Any]:
    """An output's schema: outputs have no plain parts."""
    return {key: _output(value) if isinstance(value, dict) else value for key, value in spec.items() if key != "plain"}


def package_schema(components: list[Component], version: str) -> dict[str, Any]:
    """The Pulumi package schema of the components, at ``version`` (the package's, the plugin's and the SDKs')."""
    schema = _Schema()
    resources = {component.token: _resource(component, schema) for component in components}
    return {
        "name": PACKAGE,
        "displayName": "Amazon Chime SDK Identity",
        "version": version,
        "description": "Amazon Chime SDK messaging identity (AppInstances, users, bots, admins, push endpoints, "
        "retention) as Pulumi components, served by the Python package pulumi-chime-sdk-identity.",
        "keywords": ["pulumi", "aws", "chime", "chime-sdk", "category/cloud", "kind/component"],
        "license": "Apache-2.0",
        "language": {
            "nodejs": {"packageName": "pulumi-chime-sdk-identity", "respectSchemaVersion": True},
            "go": {"importBasePath": "pulumi-chime-sdk-identity/sdk/go/chimesdkidentity", "respectSchemaVersion": True},
            "python": {"packageName": "pulumi_chime_sdk_identity_sdk", "respectSchemaVersion": True},
        },
        "resources": resources,
        "types": schema.types,
    }


# -- from the wire ---------------------------------------------------------------------------------------------


def _unwrap(annotation: Any) -> Any:
    """The model, dict or scalar type inside a pydantic field annotation."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return _unwrap(next(arg for arg in typing.get_args(annotation) if arg is not type(None)))
    return annotation


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and hasattr(kind, "model_fields") and hasattr(kind, "source")


@cache
def _python_names(kind: type) -> dict[str, str]:
    """Wire name -> python name of a model's fields."""
    return {wire_name(name): name for name in kind.model_fields}  # type: ignore[attr-defined]


def _from_wire(kind: Any, value: Any) -> Any:
    """A wire value in the python form of ``kind``: field names, and whole floats as ints where ints are due.

    Keys no field has stay as they are, so validation names them as written; Outputs stay Outputs.
    """
    kind = _unwrap(kind)
    if isinstance(value, pulumi.Output) or inspect.isawaitable(value):
        return value
    if _is_model(kind) and isinstance(value, Mapping):
        names = _python_names(kind)
        fields = kind.model_fields
        return {
            names.get(key, key): _from_wire(fields[names[key]].annotation, item) if key in names else item
            for key, item in value.items()
        }
    if typing.get_origin(kind) is dict and isinstance(value, Mapping):
        return {key: _from_wire(typing.get_args(kind)[1], item) for key, item in value.items()}
    if kind is int and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _loc(root: Any, data: Any, dotted: str) -> tuple[str, ...]:
    """A dotted path of python names (``users.a.b.adopt``) as a location, keys matched against the data: a user
    id may hold dots."""
    parts = dotted.split(".")
    loc: list[str] = []
    kind, here = _unwrap(root), data
    while parts:
        if _is_model(kind):
            name = parts.pop(0)
            loc.append(name)
            field = kind.model_fields.get(name)
            kind = _unwrap(field.annotation) if field else None
            here = here.get(name) if isinstance(here, Mapping) else None
        else:
            keys = here if isinstance(here, Mapping) else {}
            size = next((n for n in range(len(parts), 0, -1) if ".".join(parts[:n]) in keys), 1)
            key = ".".join(parts[:size])
            del parts[:size]
            loc.append(key)
            here = keys.get(key)
            kind = _unwrap(typing.get_args(kind)[1]) if typing.get_origin(kind) is dict else None
    return tuple(loc)


def spelled(root: Any, loc: tuple[int | str, ...]) -> str:
    """A location as the wire spells it: field names in camelCase, mapping keys as they are."""
    return _path(loc, root=root, spell=wire_name)


@cache
def _snake_names(root: type) -> re.Pattern[str]:
    """The field names with an underscore of a model and the models under it, as whole words."""
    names: set[str] = set()
    pending = [root]
    while pending:
        kind = pending.pop()
        for name, item in kind.model_fields.items():  # type: ignore[attr-defined]
            names.update([name] if "_" in name else [])
            inner = _unwrap(item.annotation)
            inner = _unwrap(typing.get_args(inner)[1]) if typing.get_origin(inner) is dict else inner
            if _is_model(inner):
                pending.append(inner)
    return re.compile(r"\b(" + "|".join(sorted(names, key=len, reverse=True)) + r")\b")


def _respelled(root: type, reason: str) -> str:
    """A reason that names other fields (``needs the app's adopt_id``) with their wire names."""
    return _snake_names(root).sub(lambda match: wire_name(match.group(1)), reason)


def decode(
    source: type, data: Mapping[str, Any], entry_problems: Callable[[Any], list[tuple[str, str]]] | None = None
) -> tuple[Any, list[tuple[str, str]]]:
    """Wire inputs as ``source`` (None if anything is wrong), and every (wire path, reason) problem.

    ``entry_problems``: the component's own checks between entries (name clashes, adoption), given the inputs in
    python names; their paths are spelled like the rest.
    """
    root = model(source)
    python = _from_wire(root, data)
    args, invalid = validate_spec(source, python, spell=wire_name)
    found = [(path, _respelled(root, reason)) for path, reason in invalid]
    if entry_problems is not None:
        found += [
            (spelled(root, _loc(root, python, path)), _respelled(root, reason))
            for path, reason in entry_problems(python)
        ]
    return (None if found else args), found


def app_entry_problems(name: str) -> Callable[[Any], list[tuple[str, str]]]:
    """A MessagingApp's checks between entries, for :func:`decode`."""
    return lambda data: _adopt.entry_problems(name, data.get("adopt_id"), data.get("users"), data.get("bots"))


def user_entry_problems(data: Any) -> list[tuple[str, str]]:
    """A MessagingUser's adoption checks, for :func:`decode`."""
    return _adopt.user_problems(data)
