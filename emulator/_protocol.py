"""The REST-JSON wire protocol of chime-sdk-identity, driven by botocore's service model.

Nothing here knows what an operation does. Routing, request parsing, validation and
response/error serialization all read the same ``service-2.json`` that boto3 uses, so the
emulator's constraints cannot drift from the client's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import unquote

import botocore.session
from botocore.model import ListShape, OperationModel, ServiceModel, Shape, StringShape, StructureShape

from ._exceptions import BadRequestException, ChimeError, NotFoundException

SERVICE_NAME = "chime-sdk-identity"

# Chime documents Metadata as "limited to a 1KB string in UTF-8": its length is counted in bytes.
_BYTE_LENGTH_SHAPES = frozenset({"Metadata"})


@cache
def service_model() -> ServiceModel:
    """The botocore service model of chime-sdk-identity (the file boto3 itself loads)."""
    return botocore.session.get_session().get_service_model(SERVICE_NAME)


@dataclass(frozen=True)
class _Route:
    operation: OperationModel
    method: str
    path: re.Pattern[str]
    labels: tuple[str, ...]
    literal_query: tuple[tuple[str, str], ...]


def _compile_route(operation: OperationModel) -> _Route:
    request_uri: str = operation.http["requestUri"]
    path, _, query = request_uri.partition("?")
    labels: list[str] = []

    def label(match: re.Match[str]) -> str:
        labels.append(match.group(1))
        greedy = match.group(2) == "+"
        return f"(?P<l{len(labels) - 1}>{'.+' if greedy else '[^/]+'})"

    pattern = re.sub(r"\{(\w+)(\+?)\}", label, re.escape(path).replace(r"\{", "{").replace(r"\}", "}"))
    literal = tuple((key, value) for key, _, value in (part.partition("=") for part in query.split("&") if part))
    return _Route(operation, operation.http["method"], re.compile(pattern + "$"), tuple(labels), literal)


def _java_pattern(pattern: str) -> re.Pattern[str]:
    # The model writes astral code points Java-style (\u10000); Python needs \U00010000.
    fixed = re.sub(r"\\u([0-9A-Fa-f]{5,6})", lambda m: "\\U" + m.group(1).zfill(8), pattern)
    return re.compile(fixed)


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    return _java_pattern(pattern)


class Protocol:
    """Routes, parses, validates and serializes requests of one service model."""

    def __init__(self, model: ServiceModel | None = None) -> None:
        self.model = model or service_model()
        routes = [_compile_route(self.model.operation_model(name)) for name in self.model.operation_names]
        # Routes with literal query parameters (``/tags?operation=tag-resource``) are tried first.
        self._routes = sorted(routes, key=lambda r: -len(r.literal_query))

    @property
    def operation_names(self) -> list[str]:
        """Every operation of the model."""
        return list(self.model.operation_names)

    def route(self, method: str, raw_path: str, query: dict[str, list[str]]) -> tuple[OperationModel, dict[str, str]]:
        """Find the operation for a request line; return it with its decoded URI labels."""
        for route in self._routes:
            if route.method != method:
                continue
            match = route.path.match(raw_path)
            if match is None:
                continue
            if any(query.get(key, [None])[0] != value for key, value in route.literal_query):
                continue
            return route.operation, {name: unquote(match.group(f"l{i}")) for i, name in enumerate(route.labels)}
        raise NotFoundException(f"No operation matches {method} {raw_path}")

    @staticmethod
    @cache
    def idempotency_member(operation: OperationModel) -> str | None:
        """The input member the model marks as idempotency token (ClientRequestToken), if any."""
        shape = operation.input_shape
        members = shape.members.items() if shape is not None else []
        return next((name for name, member in members if member.metadata.get("idempotencyToken")), None)

    def parse(
        self,
        operation: OperationModel,
        labels: dict[str, str],
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
    ) -> dict[str, Any]:
        """Turn the pieces of an HTTP request into the operation's input parameters."""
        shape = operation.input_shape
        if shape is None:
            return {}
        try:
            document = json.loads(body) if body.strip() else {}
        except ValueError:
            raise BadRequestException("The request body is not valid JSON") from None
        if not isinstance(document, dict):
            raise BadRequestException("The request body must be a JSON object")
        params: dict[str, Any] = {}
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            wire_name = member.serialization.get("name", name)
            if location == "uri":
                if wire_name in labels:
                    params[name] = labels[wire_name]
            elif location == "querystring":
                if wire_name in query:
                    values = query[wire_name]
                    params[name] = values if member.type_name == "list" else _scalar(member, values[0], name)
            elif location == "header":
                value = headers.get(wire_name.lower())
                if value is not None:
                    params[name] = _scalar(member, value, name)
            elif wire_name in document:
                params[name] = document[wire_name]
        return params

    def validate(self, operation: OperationModel, params: dict[str, Any]) -> None:
        """Check params against every constraint of the input shape; raise one BadRequest listing all."""
        if operation.input_shape is None:
            return
        errors: list[str] = []
        _validate(operation.input_shape, params, "", errors)
        if errors:
            count = len(errors)
            noun = "error" if count == 1 else "errors"
            raise BadRequestException(f"{count} validation {noun} detected: " + "; ".join(errors))

    def serialize(self, operation: OperationModel, output: dict[str, Any]) -> tuple[int, bytes]:
        """Status code and JSON body for a successful result, keeping only the output shape's members."""
        status = int(operation.http.get("responseCode", 200))
        shape = operation.output_shape
        if shape is None:
            return status, b""
        return status, json.dumps(_project(shape, output)).encode()

    def serialize_error(self, error: ChimeError) -> tuple[int, dict[str, str], bytes]:
        """Status code, headers and body for an error, as the model's error shape describes it."""
        shape = self.model.shape_for(error.shape_name)
        status = int(shape.metadata.get("error", {}).get("httpStatusCode", 400))
        headers = {"X-Amzn-ErrorType": error.shape_name}
        body = json.dumps({"Code": error.code, "Message": error.message}).encode()
        return status, headers, body


def _scalar(shape: Shape, raw: str, name: str) -> Any:
    if shape.type_name in ("integer", "long"):
        try:
            return int(raw)
        except ValueError:
            raise BadRequestException(
                f"Value at '{name}' failed to satisfy constraint: Member must be of type integer"
            ) from None
    if shape.type_name == "boolean":
        return raw.lower() == "true"
    return raw


_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "boolean": (bool,),
    "list": (list,),
    "structure": (dict,),
    "map": (dict,),
}


def _fail(errors: list[str], path: str, constraint: str) -> None:
    errors.append(f"Value at '{path}' failed to satisfy constraint: Member must {constraint}")


def _validate(shape: Shape, value: Any, path: str, errors: list[str]) -> None:
    expected = _TYPES.get(shape.type_name)
    if expected is not None and (
        not isinstance(value, expected) or (shape.type_name != "boolean" and isinstance(value, bool))
    ):
        _fail(errors, path, f"be of type {shape.type_name}")
        return
    meta = shape.metadata
    if isinstance(shape, StructureShape):
        for required in shape.required_members:
            if value.get(required) is None:
                errors.append(
                    f"Value null at '{_join(path, required)}' failed to satisfy constraint: Member must not be null"
                )
        for name, member in shape.members.items():
            if value.get(name) is not None:
                _validate(member, value[name], _join(path, name), errors)
    elif isinstance(shape, ListShape):
        _check_range(errors, path, len(value), meta, "have length")
        for index, item in enumerate(value):
            _validate(shape.member, item, f"{path}[{index}]", errors)
    elif isinstance(shape, StringShape):
        length = len(value.encode()) if shape.name in _BYTE_LENGTH_SHAPES else len(value)
        _check_range(errors, path, length, meta, "have length")
        if shape.enum and value not in shape.enum:
            _fail(errors, path, f"satisfy enum value set: [{', '.join(shape.enum)}]")
        if "pattern" in meta and not _pattern(meta["pattern"]).fullmatch(value):
            _fail(errors, path, f"satisfy regular expression pattern: {meta['pattern']}")
    elif shape.type_name in ("integer", "long"):
        _check_range(errors, path, value, meta, "have value")


def _check_range(errors: list[str], path: str, amount: int, meta: dict[str, Any], what: str) -> None:
    if "min" in meta and amount < meta["min"]:
        _fail(errors, path, f"{what} greater than or equal to {meta['min']}")
    if "max" in meta and amount > meta["max"]:
        _fail(errors, path, f"{what} less than or equal to {meta['max']}")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _project(shape: Shape, value: Any) -> Any:
    """Keep only what the shape declares, the way a real service serializes its output."""
    if isinstance(shape, StructureShape):
        return {
            name: _project(member, value[name])
            for name, member in shape.members.items()
            if value.get(name) is not None and "location" not in member.serialization
        }
    if isinstance(shape, ListShape):
        return [_project(shape.member, item) for item in value]
    return value
