"""The Pulumi side of every resource: props from typed args, output attributes, secrets, ``get``."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Self

import pulumi
import pulumi.dynamic

from ._provider import ChimeProvider

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
        resource._setup(resource_name, {}, pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id)))
        return resource
