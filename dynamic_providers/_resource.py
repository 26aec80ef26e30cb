"""The Pulumi side of every resource: props from typed args, output attributes, secrets, ``get``."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import threading
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Self

import pulumi
import pulumi.dynamic
import pulumi.runtime.resource

from ._provider import ChimeProvider
from ._schema import field_names

TYPE_MODULE = "chimesdkidentity"
FULL_STACK_TRACES = "CHIMESDKIDENTITY_FULL_STACK_TRACES"

_registering = threading.local()
_HERE = Path(__file__).parent
_NOT_THE_PROGRAM = tuple(
    {
        str(path) + os.sep
        for folder in (Path(pulumi.__file__).parent, Path(asyncio.__file__).parent, _HERE, _HERE.parent / "components")
        for path in (folder, folder.resolve())
    }
)


def _program_frames(full: Callable[[], Any]) -> Callable[[], Any]:
    """``pulumi.runtime.resource._get_stack_trace``, keeping only the program's frames for our resources.

    The SDK records, in every resource's state entry, each frame below the resource's constructor: this
    package's own, the SDK's, asyncio's and the language host's, the same for every resource and most of
    the entry's bytes; the engine rewrites the whole state after each step, so they cost time on every
    ``up`` of a large stack. For the resources of this package only the program's frames are kept, the
    first of them (the entry's ``sourcePosition``) the program line that declared the resource, or the
    component. ``CHIMESDKIDENTITY_FULL_STACK_TRACES=true`` keeps them all.
    """

    def stack_trace() -> Any:
        trace = full()
        if not getattr(_registering, "active", False) or os.environ.get(FULL_STACK_TRACES, "").lower() == "true":
            return trace
        kept = [frame for frame in trace.frames if frame.HasField("pc") and not _not_the_program(frame.pc.uri)]
        del trace.frames[:]
        trace.frames.extend(kept)
        return trace

    stack_trace.__wrapped__ = full  # type: ignore[attr-defined]
    return stack_trace


def _not_the_program(uri: str) -> bool:
    path = urllib.parse.unquote(urllib.parse.urlsplit(uri).path)
    return path.startswith(_NOT_THE_PROGRAM) or path.endswith("pulumi-language-python-exec")


if not hasattr(pulumi.runtime.resource._get_stack_trace, "__wrapped__"):
    pulumi.runtime.resource._get_stack_trace = _program_frames(pulumi.runtime.resource._get_stack_trace)


class ChimeResource(pulumi.dynamic.Resource):
    """Base of the six resources; subclasses name their provider, outputs and secret inputs."""

    _provider_class: ClassVar[type[ChimeProvider]]
    _outputs: ClassVar[tuple[str, ...]] = ()

    def _setup(self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None) -> None:
        secrets = self._provider_class.secret_inputs
        for key in secrets:
            if props.get(key) is not None:
                props[key] = pulumi.Output.secret(props[key])
        props.update({key: None for key in self._outputs if key not in props})
        extra = pulumi.ResourceOptions(additional_secret_outputs=list(secrets))
        _registering.active = True
        try:
            pulumi.dynamic.Resource.__init__(
                self, self._provider_class(), resource_name, props, pulumi.ResourceOptions.merge(opts, extra)
            )
        finally:
            _registering.active = False
        self._derive_identity()

    def _derive_identity(self) -> None:
        """Rebind the outputs that follow from the ID or the inputs (ARNs, endpoint IDs) to their source.

        The Python dynamic host declares no preview support, so in the preview of an in-place update the
        engine hands the new inputs back as the resource's state: an output that is not an input would be
        unknown there, and every child whose replace-on input comes from it would preview as replaced when
        ``pulumi up`` replaces nothing. The engine keeps the ID in those previews, and the inputs are known,
        so outputs derived from them are known wherever their source is. In ``pulumi up`` they are equal to
        what the provider returns.
        """

    def _from_args(
        self, resource_name: str, args: Any, opts: pulumi.ResourceOptions | None, args_type: type, **kwargs: Any
    ) -> None:
        props = {f.name: getattr(args, f.name) for f in dataclasses.fields(args_type)} if args is not None else {}
        props.update({key: value for key, value in kwargs.items() if value is not None})
        missing = [
            f.name
            for f in dataclasses.fields(args_type)
            if f.default is dataclasses.MISSING and props.get(f.name) is None
        ]
        if missing:
            raise TypeError(f"{type(self).__name__} {resource_name!r}: missing required property '{missing[0]}'")
        self._setup(resource_name, props, opts)

    @classmethod
    def get(cls, resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None) -> Self:  # noqa: A002
        """Look up an existing resource by its ID (read through the engine; nothing is created)."""
        resource = cls.__new__(cls)
        # Every input is also an output: declare them all, so the looked-up resource has each attribute.
        props: dict[str, Any] = dict.fromkeys(field_names(cls._provider_class.inputs))
        resource._setup(resource_name, props, pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id)))
        return resource
