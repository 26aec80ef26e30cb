"""``chime-identity-emulator``: run the emulator from a shell."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from types import FrameType

from ._backend import DEFAULT_ACCOUNT_ID, Behaviour
from ._faults import FaultConfig
from ._quota import DEFAULT_QUOTA_BURST, DEFAULT_QUOTA_RATE, QuotaConfig, check_operation
from ._server import EmulatorServer

# Not LocalStack's 4566, so both can run side by side.
DEFAULT_PORT = 4580


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not a rate between 0 and 1")
    return value


def _non_negative(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} must not be negative")
    return value


def _requests_per_second(text: str) -> float:
    value = float(text)
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of requests per second")
    return value


def _burst(text: str) -> float:
    value = float(text)
    if not value >= 1 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text} is not a number of requests of at least 1")
    return value


def _operation_rate(text: str) -> tuple[str, float]:
    operation, equals, rate = text.partition("=")
    if not equals:
        raise argparse.ArgumentTypeError(f"{text!r} is not OPERATION=RATE (e.g. CreateAppInstanceUser=20)")
    try:
        check_operation(operation)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    try:
        return operation, _requests_per_second(rate)
    except ValueError:
        raise argparse.ArgumentTypeError(f"the rate in {text!r} is not a number") from None


def build_parser() -> argparse.ArgumentParser:
    """The command line of chime-identity-emulator."""
    parser = argparse.ArgumentParser(
        prog="chime-identity-emulator",
        description="A local Amazon Chime SDK Identity endpoint speaking the real REST-JSON protocol.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="port to listen on; 0 picks a free one (default %(default)s)"
    )
    parser.add_argument("--state-file", metavar="PATH", help="keep state in this SQLite file across restarts")
    parser.add_argument("--account-id", default=DEFAULT_ACCOUNT_ID, help="account ID in ARNs (default %(default)s)")
    parser.add_argument(
        "--missing-error",
        choices=("NotFoundException", "ForbiddenException"),
        default="NotFoundException",
        help="error for a resource that does not exist (AWS has been seen to answer Forbidden for users)",
    )
    faults = parser.add_argument_group("fault injection (deterministic with --seed)")
    faults.add_argument("--seed", type=int, help="seed of the fault RNG")
    faults.add_argument("--latency-ms", type=_non_negative, default=0.0, help="delay added to every request")
    faults.add_argument(
        "--throttle-rate", type=_rate, default=0.0, help="share of requests answered 429 ThrottledClientException"
    )
    faults.add_argument(
        "--error-rate", type=_rate, default=0.0, help="share of requests answered 503 ServiceUnavailableException"
    )
    faults.add_argument(
        "--lost-response-rate", type=_rate, default=0.0, help="share of requests that take effect but answer 500"
    )
    faults.add_argument(
        "--consistency-delay-ms",
        type=_non_negative,
        default=0.0,
        help="how long a new resource stays invisible to Describe/List",
    )
    quota = parser.add_argument_group(
        "quota mode (a token bucket per account, region and operation; over-rate calls get 429 Rate exceeded)"
    )
    quota.add_argument(
        "--quota",
        action="store_true",
        help=f"enforce request rates: {DEFAULT_QUOTA_RATE:g}/s per operation, burst {DEFAULT_QUOTA_BURST:g}, unless "
        "set below (any --quota-* option implies --quota)",
    )
    quota.add_argument(
        "--quota-rate",
        dest="quota_rates",
        metavar="OP=RATE",
        type=_operation_rate,
        action="append",
        default=[],
        help="requests per second of one operation, e.g. CreateAppInstanceUser=20 (repeatable)",
    )
    quota.add_argument(
        "--quota-default-rate",
        metavar="R",
        type=_requests_per_second,
        help="requests per second of every other operation",
    )
    quota.add_argument(
        "--quota-burst", metavar="B", type=_burst, help=f"bucket capacity (default {DEFAULT_QUOTA_BURST:g})"
    )
    return parser


def quota_config(args: argparse.Namespace) -> QuotaConfig:
    """The quota options of parsed arguments (which the parser has checked)."""
    implied = args.quota_rates or args.quota_default_rate is not None or args.quota_burst is not None
    return QuotaConfig(
        quota=bool(args.quota or implied),
        quota_default_rate=args.quota_default_rate,
        quota_burst=args.quota_burst if args.quota_burst is not None else DEFAULT_QUOTA_BURST,
        quota_rates=dict(args.quota_rates),
    )


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run the emulator until Ctrl-C or SIGTERM."""
    args = build_parser().parse_args(argv)
    server = EmulatorServer(
        args.host,
        args.port,
        state_file=args.state_file,
        account_id=args.account_id,
        faults=FaultConfig(
            latency_ms=args.latency_ms,
            throttle_rate=args.throttle_rate,
            error_rate=args.error_rate,
            lost_response_rate=args.lost_response_rate,
            seed=args.seed,
        ),
        behaviour=Behaviour(missing_error=args.missing_error, consistency_delay_ms=args.consistency_delay_ms),
        quota=quota_config(args),
    )
    try:
        server.bind()
    except OSError as error:
        server.stop()
        print(
            f"chime-identity-emulator: cannot listen on {args.host}:{args.port}: {error.strerror or error}; "
            "pick another port with --port (0 for any free one)",
            file=sys.stderr,
            flush=True,
        )
        return 1
    signal.signal(signal.SIGTERM, _stop)
    print(f"Listening on {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    print("Stopped", file=sys.stderr, flush=True)
    return 0
