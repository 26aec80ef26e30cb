"""docs/benchmarks.png: time, time per resource and API calls against N."""

from __future__ import annotations

from pathlib import Path

from bench.scale.processes import Json, calls_total


def plot(results: Json, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = results["sizes"]
    users = [s["users"] for s in sizes]
    figure, (times, per_resource, calls) = plt.subplots(1, 3, figsize=(16, 5))
    series = (
        ("pulumi up", lambda s: s["phases"]["up"]["seconds"], "C0", "-"),
        ("pulumi up, skip checkpoints", lambda s: s["skip_checkpoints"]["up"]["seconds"], "C0", "--"),
        ("floor up (boto3, 4 threads)", lambda s: s["floor"]["up"]["seconds"], "k", "-"),
        ("pulumi destroy", lambda s: s["phases"]["destroy"]["seconds"], "C3", "-"),
        ("pulumi destroy, skip checkpoints", lambda s: s["skip_checkpoints"]["destroy"]["seconds"], "C3", "--"),
        ("floor destroy", lambda s: s["floor"]["destroy"]["seconds"], "k", ":"),
        ("pulumi refresh", lambda s: s["phases"]["refresh"]["seconds"], "C2", "-"),
        ("floor refresh", lambda s: s["floor"]["refresh"]["seconds"], "k", "-."),
        ("no-op pulumi preview", lambda s: s["phases"]["preview"]["seconds"], "C1", "-"),
    )
    if all("full_stack_traces" in s for s in sizes):
        series += (
            ("pulumi up, full stack traces", lambda s: s["full_stack_traces"]["up"]["seconds"], "C4", "-"),
            ("pulumi destroy, full stack traces", lambda s: s["full_stack_traces"]["destroy"]["seconds"], "C4", ":"),
        )
    for label, get, color, style in series:
        values = [get(s) for s in sizes]
        times.plot(users, values, marker="o", color=color, linestyle=style, label=label)
        per_resource.plot(
            users,
            [v / s["resources"] * 1000 for v, s in zip(values, sizes, strict=True)],
            marker="o",
            color=color,
            linestyle=style,
            label=label,
        )
    quota = [q for q in results.get("quota", []) if q.get("backend", "default") == "default"]
    quota_users = [q["users"] for q in quota]
    for phase, color in (("up", "C0"), ("refresh", "C2"), ("destroy", "C3")):
        wall = [q["phases"][phase]["seconds"] for q in quota]
        floor = [q["phases"][phase]["floor"]["seconds"] for q in quota]
        for label, values, style in ((f"pulumi {phase} under quota", wall, "-"), (f"quota floor {phase}", floor, ":")):
            times.plot(quota_users, values, marker="s", color=color, linestyle=style, alpha=0.5, label=label)
    times.set(xscale="log", yscale="log", xlabel="users (N)", ylabel="seconds", title="Wall time")
    per_resource.set(
        xscale="log", yscale="log", xlabel="users (N)", ylabel="ms per dynamic resource", title="Time per resource"
    )
    for phase, color, style, width in (
        ("up", "C0", "-", 4.0),
        ("refresh", "C2", "-", 1.5),
        ("destroy", "C3", "--", 1.5),
        ("preview", "C1", "-", 1.5),
    ):
        calls.plot(
            users,
            [calls_total(s["phases"][phase]) for s in sizes],
            marker="o",
            color=color,
            linestyle=style,
            linewidth=width,
            alpha=0.8,
            label=f"pulumi {phase}",
        )
    for phase, marker in (("up", "x"), ("refresh", "+"), ("destroy", "1")):
        calls.plot(
            users,
            [sum(s["floor"][phase]["calls"].values()) for s in sizes],
            marker=marker,
            markersize=12,
            linestyle="none",
            color="k",
            label=f"floor {phase}",
        )
    calls.set(xlabel="users (N)", ylabel="API calls", title="API calls (floor: the same)")
    for axes in (times, per_resource, calls):
        axes.grid(True, which="both", alpha=0.3)
        axes.set_xticks(users, [str(u) for u in users])
        axes.minorticks_off()
    times.legend(fontsize=7)
    calls.legend(fontsize=7)
    figure.suptitle(f"One MessagingApp with N users, {results['latency_ms']:g} ms per API request, 2 cores")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
