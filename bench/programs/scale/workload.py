"""The scale benchmark's workload in one place: numbers, names, tags and the push endpoints' target.

Read by the program beside it (``import workload``: the language host puts the program's folder on
``sys.path``) and by the benchmark itself (``from bench.programs.scale import workload``): its floor
makes the same calls with the same values, and its report describes the same numbers.
"""

REGION = "us-east-1"
ADMINS = 5  # the first users
ENDPOINTS = 20  # one GCM endpoint on each of the first users
RETENTION_DAYS = 30
PINPOINT_APP = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef"
EXTRA_RESOURCES = 1 + 1 + ADMINS + ENDPOINTS  # AppInstance, retention, admins, endpoints
"""Dynamic resources beyond the N users."""


def app_tags(users: int) -> dict[str, str]:
    return {"project": "bench", "scale": str(users)}


def user_id(i: int) -> str:
    return f"user-{i:05d}"


def user_name(i: int) -> str:
    return f"User {i}"


def user_tags(i: int) -> dict[str, str]:
    """A user's own tags; the app's tags are merged under them."""
    return {"team": f"team-{i % 10}", "index": str(i)}


def device_token(i: int) -> str:
    return f"device-token-{i:05d}"
