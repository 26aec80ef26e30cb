"""Reusable Pulumi components for Amazon Chime SDK messaging, built on the dynamic resources.

- :class:`MessagingApp` (``chimesdkidentity:components:MessagingApp``): an AppInstance with retention,
  users, Lex bots, admins and push endpoints, from :class:`MessagingAppArgs` or a YAML/JSON spec file
  (:meth:`MessagingApp.from_spec`, errors as one :class:`SpecError`).
- :class:`MessagingUser` (``chimesdkidentity:components:MessagingUser``): one user with its admin flag
  and endpoints, usable on its own.
- :class:`DeployerPolicy` and :func:`deployer_policy_document`: the least-privilege IAM policy (on
  pulumi-aws) for the role that deploys these resources; :data:`CHIME_ACTIONS` lists its actions.

Every child has ``parent=self`` and a name derived from the component's name and stable keys.
"""

from ._args import BotArgs, EndpointArgs, MessagingAppArgs, MessagingUserArgs, UserArgs
from ._spec import SpecError
from .iam import CHIME_ACTIONS, DeployerPolicy, DeployerPolicyArgs, deployer_policy_document
from .messaging_app import MessagingApp
from .messaging_user import MessagingUser

__all__ = [
    "CHIME_ACTIONS",
    "BotArgs",
    "DeployerPolicy",
    "DeployerPolicyArgs",
    "EndpointArgs",
    "MessagingApp",
    "MessagingAppArgs",
    "MessagingUser",
    "MessagingUserArgs",
    "SpecError",
    "UserArgs",
    "deployer_policy_document",
]
