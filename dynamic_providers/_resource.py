"""The Pulumi side of every resource: props from typed args, output attributes, secrets, ``get``."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Self

import pulumi
import pulumi.dynamic

from ._provider import ChimeProvider
from ._schema import field_names

TYPE_MODULE = "chimesdkidentity"


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
        pulumi.dynamic.Resource.__init__(
            self, self._provider_class(), resource_name, props, pulumi.ResourceOptions.merge(opts, extra)
        )
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
