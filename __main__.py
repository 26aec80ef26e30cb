"""The component provider's entry point: ``python <this repository>`` (PulumiPlugin.yaml) and, installed,
``python -m pulumi_chime_sdk_identity``. See ``pulumi_chime_sdk_identity.components.provider``."""

from pulumi_chime_sdk_identity.components.provider import main

main()
