"""The soak workload's numbers, names and tags, in one place.

Read by the program beside it (``import workload``: the language host puts the program's folder on
``sys.path``) and by the checks of bench/soak.py, bench/crash.py and tests/e2e/test_soak.py
(``from bench.programs.soak import workload``).
"""

USERS = 300
ADMINS = 5  # the first users
ENDPOINTS = 20  # one on each of the first users
RETENTION_DAYS = 30
APP_NAME = "soak-chat"
APP_TAGS = {"project": "soak", "managed-by": "pulumi"}
PINPOINT_APP = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef"


def user_id(index: int) -> str:
    return f"u{index:05d}"


def user_index(user_id: str) -> int:
    return int(user_id.removeprefix("u"))


def user_tags(index: int) -> dict[str, str]:
    """A user's own tags; the app's tags are merged under them."""
    return {"team": f"t{index % 7}", "index": str(index)}


def device_token(index: int) -> str:
    """Every device token is distinct."""
    return f"device-{index:05d}"
