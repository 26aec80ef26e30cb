"""`python -m bench.levers`: the engine-side levers of issue 19, side by side on the scale workload.

    .venv/bin/python -m bench.levers [--users 300,1000] [--rounds 1] [--markdown docs/levers.md]

Each variant is a fresh stack of bench/programs/scale (one MessagingApp of N users) against one emulator
process (20 ms per request), with every checkpoint written as the engine does by default: `pulumi up`,
then `pulumi destroy`, both with `--skip-preview`. Variants run interleaved (round by round), so a busy
moment of the machine falls on all of them alike:

- *full traces*: state entries with the SDK's whole stack trace (`CHIMESDKIDENTITY_FULL_STACK_TRACES=true`,
  what every version before 0.4 recorded);
- *program frames*: the default since 0.4, the program's frames only;
- *program frames + zstd*: and the DIY backend's own compression (`PULUMI_DIY_BACKEND_ZSTD=true`);
- *program frames + gzip*: the same with `PULUMI_DIY_BACKEND_GZIP=true`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from bench.scale.processes import DESTROY, UP, new_stack, run_phase
from tools.harness.emulator_process import EmulatorProcess
from tools.harness.engine import engine_env, pulumi_bin_dir

VARIANTS: dict[str, dict[str, str]] = {
    "full traces": {"CHIMESDKIDENTITY_FULL_STACK_TRACES": "true"},
    "program frames": {},
    "program frames + zstd": {"PULUMI_DIY_BACKEND_ZSTD": "true"},
    "program frames + gzip": {"PULUMI_DIY_BACKEND_GZIP": "true"},
}


def measure(users: int, rounds: int, work: Path, env: dict[str, str], emulator: EmulatorProcess) -> dict[str, dict]:
    results: dict[str, dict[str, list[float]]] = {
        name: {"up": [], "destroy": [], "export_bytes": [], "entries": []} for name in VARIANTS
    }
    for round_ in range(rounds):
        for number, (name, extra) in enumerate(VARIANTS.items()):
            stack = new_stack(f"n{users}-r{round_}-v{number}", work, env, emulator.url, users)
            up = run_phase(stack, emulator, UP, extra)
            exported = stack.export()
            down = run_phase(stack, emulator, DESTROY, extra)
            stack.run("stack", "rm", "--yes", "--force")
            emulator.reset()
            figures = results[name]
            figures["up"].append(up["seconds"])
            figures["destroy"].append(down["seconds"])
            figures["export_bytes"].append(len(json.dumps(exported)))
            figures["entries"].append(len(exported["deployment"]["resources"]))
            print(f"N={users} round {round_} {name:24} up {up['seconds']:6.1f} s  destroy {down['seconds']:6.1f} s")
    return {name: {key: statistics.median(values) for key, values in f.items()} for name, f in results.items()}


def render(measured: dict[int, dict[str, dict]], rounds: int) -> str:
    lines = [
        "# Engine-side levers: state entry size and the DIY backend's compression",
        "",
        f"Written by `python -m bench.levers --users {','.join(map(str, measured))} --rounds {rounds}`"
        " (see its docstring): every checkpoint written, medians of the rounds.",
        "",
        "| N | variant | bytes per entry | up (s) | up vs full traces | destroy (s) | destroy vs full traces |",
        "|---|---|---|---|---|---|---|",
    ]
    for users, variants in measured.items():
        base = variants["full traces"]
        for name, f in variants.items():
            lines.append(
                f"| {users} | {name} | {f['export_bytes'] / f['entries']:,.0f} | {f['up']:.1f} | "
                f"x{base['up'] / f['up']:.2f} | {f['destroy']:.1f} | x{base['destroy'] / f['destroy']:.2f} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="300,1000", help="user counts, comma-separated")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--markdown", type=Path, help="write the table here as well")
    args = parser.parse_args()
    measured: dict[int, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory() as tmp, EmulatorProcess("--latency-ms", "20") as emulator:
        work = Path(tmp)
        env = engine_env(work / "home", pulumi_bin_dir())
        for users in (int(n) for n in args.users.split(",")):
            measured[users] = measure(users, args.rounds, work, env, emulator)
    text = render(measured, args.rounds)
    print(text)
    if args.markdown:
        args.markdown.write_text(text)


if __name__ == "__main__":
    main()
