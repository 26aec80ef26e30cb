"""`python -m bench.levers`: the engine-side levers of issue 19, side by side on the scale workload.

    .venv/bin/python -m bench.levers [--users 300,1000] [--rounds 1] [--markdown docs/levers.md]

Each variant is a fresh stack of bench/programs/scale (one MessagingApp of N users) against one emulator
process (20 ms per request), with every checkpoint written as the engine does by default: `pulumi up`,
a no-op `pulumi preview`, then `pulumi destroy`, `up` and `destroy` with `--skip-preview`. Variants run
interleaved (round by round), so a busy moment of the machine falls on all of them alike:

- *full traces*: state entries with the SDK's whole stack trace (`CHIMESDKIDENTITY_FULL_STACK_TRACES=true`,
  what every version before 0.4 recorded);
- *program frames*: the default since 0.4, the program's frames only;
- *program frames + zstd*: and the DIY backend's own compression (`PULUMI_DIY_BACKEND_ZSTD=true`);
- *program frames + gzip*: the same with `PULUMI_DIY_BACKEND_GZIP=true`;
- *engine alone*: as many resources (N + 27) under one component, of a provider that makes no call, with
  no input, no output and no stack frame (`scale:shape=null`, bench/programs/scale/null_provider.py): the
  Python SDK, the dynamic-provider host and the engine with its checkpoints, and nothing of this package;
- *engine alone + zstd*: the same with `PULUMI_DIY_BACKEND_ZSTD=true`.

The *floor* is a plain boto3 script making the API calls of the *program frames* variant's `up` and
`destroy` (bench/scale/floor.py, 4 threads), in the same run: each ratio is a time over it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from bench.scale.floor import DESTROY_LEVELS, UP_LEVELS, Floor
from bench.scale.processes import DESTROY, PREVIEW, UP, new_stack, run_phase
from tools.harness.emulator_process import EmulatorProcess
from tools.harness.engine import engine_env, pulumi_bin_dir

ZSTD = {"PULUMI_DIY_BACKEND_ZSTD": "true"}
# name: (environment, program config)
VARIANTS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "full traces": ({"CHIMESDKIDENTITY_FULL_STACK_TRACES": "true"}, {}),
    "program frames": ({}, {}),
    "program frames + zstd": (ZSTD, {}),
    "program frames + gzip": ({"PULUMI_DIY_BACKEND_GZIP": "true"}, {}),
    "engine alone": ({}, {"shape": "null"}),
    "engine alone + zstd": (ZSTD, {"shape": "null"}),
}
BASE = "program frames"
PHASES = ("up", "preview", "destroy", "floor up", "floor destroy")


def measure(users: int, rounds: int, work: Path, env: dict[str, str], emulator: EmulatorProcess) -> dict[str, dict]:
    results: dict[str, dict[str, list[float]]] = {
        name: {key: [] for key in (*PHASES, "export_bytes", "entries")} for name in VARIANTS
    }
    for round_ in range(rounds):
        for number, (name, (extra, config)) in enumerate(VARIANTS.items()):
            stack = new_stack(f"n{users}-r{round_}-v{number}", work, env, emulator.url, users, **config)
            up = run_phase(stack, emulator, UP, extra)
            preview = run_phase(stack, emulator, PREVIEW, extra)
            exported = stack.export()
            down = run_phase(stack, emulator, DESTROY, extra)
            stack.run("stack", "rm", "--yes", "--force")
            emulator.reset()
            figures = results[name]
            figures["up"].append(up["seconds"])
            figures["preview"].append(preview["seconds"])
            figures["destroy"].append(down["seconds"])
            figures["export_bytes"].append(len(json.dumps(exported)))
            figures["entries"].append(len(exported["deployment"]["resources"]))
            if name == BASE:
                floor = Floor(emulator.url, users)
                figures["floor up"].append(floor.run(up["calls"], UP_LEVELS))
                floor.phase = "destroy"
                figures["floor destroy"].append(floor.run(down["calls"], DESTROY_LEVELS))
                emulator.reset()
            print(
                f"N={users} round {round_} {name:24} up {up['seconds']:6.1f} s  preview {preview['seconds']:6.1f} s"
                f"  destroy {down['seconds']:6.1f} s",
                flush=True,
            )
    return {
        name: {key: statistics.median(values) for key, values in f.items() if values} for name, f in results.items()
    }


def render(measured: dict[int, dict[str, dict]], rounds: int) -> str:
    lines = [
        "# Engine-side levers: state entry size, the DIY backend's compression, and the engine alone",
        "",
        f"Written by `python -m bench.levers --users {','.join(map(str, measured))} --rounds {rounds}`"
        " (see its docstring): every checkpoint written, medians of the rounds. *Floor*: a plain boto3 script"
        " making the same API calls as the *program frames* `up` and `destroy`, 4 threads, in the same run.",
        "",
        "| N | variant | state entries | bytes per entry | up (s) | up / floor | no-op preview (s) | destroy (s) "
        "| destroy / floor |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for users, variants in measured.items():
        floor = variants[BASE]
        for name, f in variants.items():
            lines.append(
                f"| {users} | {name} | {f['entries']:,.0f} | {f['export_bytes'] / f['entries']:,.0f} | {f['up']:.1f} | "
                f"{f['up'] / floor['floor up']:.1f} | {f['preview']:.1f} | {f['destroy']:.1f} | "
                f"{f['destroy'] / floor['floor destroy']:.1f} |"
            )
        lines.append(
            f"| {users} | floor (boto3) | | | {floor['floor up']:.1f} | 1.0 | 0 | {floor['floor destroy']:.1f} | 1.0 |"
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
