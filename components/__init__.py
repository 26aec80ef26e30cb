"""Reusable Pulumi components for Amazon Chime SDK messaging, built on the dynamic resources.

- :class:`MessagingApp` (``chimesdkidentity:components:MessagingApp``): an AppInstance with retention,
  users, Lex bots, admins and push endpoints, from :class:`MessagingAppArgs` or a YAML/JSON spec file
  (:meth:`MessagingApp.from_spec`, errors as one :class:`SpecError`).
- :class:`MessagingUser` (``chimesdkidentity:components:MessagingUser``): one user with its admin flag
  and endpoints, usable on its own.
- :class:`DeployerPolicy` and :func:`deployer_policy_document`: the least-privilege IAM policy (on
  pulumi-aws) for the role that deploys these resources; :data:`CHIME_ACTIONS` lists its actions.
  :class:`PreviewerPolicy` and :func:`previewer_policy_document`: the read-only one for preview jobs
  (:data:`PREVIEWER_ACTIONS`). They live in :mod:`.iam`, which needs the ``aws`` extra
  (``pip install 'pulumi-chime-sdk-identity[aws]'``) and is imported only when one of them is used: a
  program with just ``MessagingApp`` never loads pulumi-aws. Import them from
  ``pulumi_chime_sdk_identity.components.iam`` for full static types.

Every child has ``parent=self`` and a name derived from the component's name and stable keys. Both
components adopt what exists where their arguments say so (``adopt_id``, ``adopt``); the console script
``chime-identity-import`` (:mod:`._import_cli`, reading with :mod:`._importer`) lists the AppInstances of an
account and writes the spec that adopts one; ``chime-identity-plan`` (:mod:`._plan_cli`, summarising with
:mod:`._plan`) turns ``pulumi preview --json`` into the Markdown of a pull-request comment.
"""

from typing import Any

from ._args import BotArgs, EndpointArgs, MessagingAppArgs, MessagingUserArgs, UserArgs
from ._spec import SpecError
from .messaging_app import MessagingApp
from .messaging_user import MessagingUser

_IAM_NAMES = frozenset(
    {
        "CHIME_ACTIONS",
        "PREVIEWER_ACTIONS",
        "DeployerPolicy",
        "DeployerPolicyArgs",
        "PreviewerPolicy",
        "PreviewerPolicyArgs",
        "deployer_policy_document",
        "previewer_policy_document",
    }
)


def __getattr__(name: str) -> Any:
    """The IAM helpers, imported on first use (they need pulumi-aws, the ``aws`` extra)."""
    if name in _IAM_NAMES:
        from . import iam

        return getattr(iam, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CHIME_ACTIONS",
    "PREVIEWER_ACTIONS",
    "BotArgs",
    "DeployerPolicy",
    "DeployerPolicyArgs",
    "EndpointArgs",
    "MessagingApp",
    "MessagingAppArgs",
    "MessagingUser",
    "MessagingUserArgs",
    "PreviewerPolicy",
    "PreviewerPolicyArgs",
    "SpecError",
    "UserArgs",
    "deployer_policy_document",
    "previewer_policy_document",
]
