"""``chime-identity-plan``: the Markdown of a pull-request comment from ``pulumi preview --json``.

::

    pulumi preview --json > preview.json
    chime-identity-plan preview.json [-o summary.md] [--fail-on-data-loss]
    pulumi preview --json | chime-identity-plan

The summary (:mod:`._plan`) goes to ``-o`` (stdout by default): the data the plan loses first, then each
AppInstance's users, bots, admins, endpoints and retention to create, update, replace or delete. Exit status:

- 0: a summary was written (a plan with no change says so in one line);
- 1: the input is not a whole ``pulumi preview --json`` (malformed, truncated, empty), or the preview itself
  failed: one line on stderr; for a failed preview the summary says so, and never lists a half plan;
- 2: with ``--fail-on-data-loss``, the summary was written and the plan loses data.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ._plan import PlanError, read_plan, render

PROG = "chime-identity-plan"
EXIT_DATA_LOSS = 2


def build_parser() -> argparse.ArgumentParser:
    """The command line of chime-identity-plan."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Summarise `pulumi preview --json` for a pull request: what each AppInstance's users, bots, "
        "admins, endpoints and retention become, with whatever loses data first. No secret and no value the "
        "service model marks sensitive is printed.",
    )
    parser.add_argument("preview", nargs="?", default="-", help="the `pulumi preview --json` output (- for stdin)")
    parser.add_argument("-o", "--output", default="-", help="Markdown file to write (- for stdout)")
    parser.add_argument(
        "--fail-on-data-loss",
        action="store_true",
        help=f"exit {EXIT_DATA_LOSS} when the plan loses data (after writing the summary)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; the exit status (see the module docstring)."""
    args = build_parser().parse_args(argv)
    try:
        text = sys.stdin.read() if args.preview == "-" else Path(args.preview).read_text(encoding="utf-8")
        plan = read_plan(text)
    except (OSError, UnicodeDecodeError) as error:
        print(f"{PROG}: cannot read {args.preview}: {getattr(error, 'strerror', None) or error}", file=sys.stderr)
        return 1
    except PlanError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 1
    markdown = render(plan)
    if args.output == "-":
        sys.stdout.write(markdown)
    else:
        Path(args.output).write_text(markdown, encoding="utf-8")
    if plan.errors:
        print(f"{PROG}: the preview failed, so it plans nothing: read its errors in its log", file=sys.stderr)
        return 1
    return EXIT_DATA_LOSS if args.fail_on_data_loss and plan.data_loss else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
