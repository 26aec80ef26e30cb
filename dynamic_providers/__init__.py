"""Pulumi dynamic resources for the Amazon Chime SDK Identity API.

Six resources, one module each, all alike: ``AppInstance``, ``AppInstanceUser``,
``AppInstanceBot``, ``AppInstanceAdmin``, ``AppInstanceUserEndpoint`` and
``AppInstanceRetentionSettings``. Module paths and provider class names are stored in
Pulumi state by reference: they are a public API and never move.
"""

from ._errors import AdoptionError, ApiError, ChimeSdkIdentityError, ConfigurationError, DataLossError
from .app_instance import AppInstance, AppInstanceArgs, AppInstanceProvider
from .app_instance_admin import AppInstanceAdmin, AppInstanceAdminArgs, AppInstanceAdminProvider
from .app_instance_bot import (
    AppInstanceBot,
    AppInstanceBotArgs,
    AppInstanceBotProvider,
    ConfigurationArgs,
    InvokedByArgs,
    LexConfigurationArgs,
)
from .app_instance_retention_settings import (
    AppInstanceRetentionSettings,
    AppInstanceRetentionSettingsArgs,
    AppInstanceRetentionSettingsProvider,
)
from .app_instance_user import AppInstanceUser, AppInstanceUserArgs, AppInstanceUserProvider, ExpirationSettingsArgs
from .app_instance_user_endpoint import (
    AppInstanceUserEndpoint,
    AppInstanceUserEndpointArgs,
    AppInstanceUserEndpointProvider,
    EndpointAttributesArgs,
)

__all__ = [
    "AdoptionError",
    "ApiError",
    "AppInstance",
    "AppInstanceAdmin",
    "AppInstanceAdminArgs",
    "AppInstanceAdminProvider",
    "AppInstanceArgs",
    "AppInstanceBot",
    "AppInstanceBotArgs",
    "AppInstanceBotProvider",
    "AppInstanceProvider",
    "AppInstanceRetentionSettings",
    "AppInstanceRetentionSettingsArgs",
    "AppInstanceRetentionSettingsProvider",
    "AppInstanceUser",
    "AppInstanceUserArgs",
    "AppInstanceUserEndpoint",
    "AppInstanceUserEndpointArgs",
    "AppInstanceUserEndpointProvider",
    "AppInstanceUserProvider",
    "ChimeSdkIdentityError",
    "ConfigurationArgs",
    "ConfigurationError",
    "DataLossError",
    "EndpointAttributesArgs",
    "ExpirationSettingsArgs",
    "InvokedByArgs",
    "LexConfigurationArgs",
]
