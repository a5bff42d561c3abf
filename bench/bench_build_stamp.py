"""Time `briefgen build` with nothing changed. Not a test: figures vary with the machine.

    python bench/bench_build_stamp.py [--runs N] [--format pdf,html]

On a fresh copy of the example, each run a new process of the real command:
- the cold build (the first one: nothing to compare with);
- `briefgen build` again with nothing changed ("up to date"; target: under 0.3 s),
  the median of N runs, next to the bare start of a Python process;
- the same after `touch`ing every content file (the stamp then compares bytes);
- `briefgen build --force` (a full build, stamp included);
and, in this process, what the stamp adds to a full build (listing and hashing
the inputs, writing the stamp) and the check alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from example import copy_example


def _fmt(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (f"median {statistics.median(ms):7.1f} ms  min {min(ms):7.1f} ms  "
            f"max {max(ms):7.1f} ms  (n={len(ms)})")


def _command() -> list[str]:
    """The installed `briefgen` script beside this Python, else `python -m briefgen`."""
    script = Path(sys.executable).parent / "briefgen"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "briefgen"]


def _run(args: list[str], expect_up_to_date: bool | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(args, check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if expect_up_to_date is not None and ("up to date" in proc.stderr) != expect_up_to_date:
        raise SystemExit(f"unexpected answer from {' '.join(args)}:\n{proc.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--format", default="pdf,html")
    args = parser.parse_args()
    command = _command()
    print(f"command: {' '.join(command)} build PROJECT --format {args.format}")
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_example(Path(tmp))
        build = [*command, "build", str(project), "--format", args.format]
        # the copy's files are seconds old, so the stamp would not trust their times;
        # date them a minute back, as files edited before a build usually are
        past = time.time_ns() - 60_000_000_000
        for path in project.rglob("*"):
            os.utime(path, ns=(past, past))
        print(f"cold build:             {_fmt([_run(build, expect_up_to_date=False)])}")
        python = [_run([sys.executable, "-c", "pass"]) for _ in range(args.runs)]
        print(f"python -c pass:         {_fmt(python)}")
        fresh = [_run(build, expect_up_to_date=True) for _ in range(args.runs)]
        print(f"up to date:             {_fmt(fresh)}")
        later = time.time_ns() + 3_600_000_000_000
        for path in (project / "content").rglob("*"):
            os.utime(path, ns=(later, later))
        touched = [_run(build, expect_up_to_date=True) for _ in range(args.runs)]
        print(f"up to date, touched:    {_fmt(touched)}")
        forced = [_run([*build, "--force"], expect_up_to_date=False)
                  for _ in range(max(1, args.runs // 2))]
        print(f"--force:                {_fmt(forced)}")
        in_process(project, args.format.split(","), args.runs)


def in_process(project: Path, formats: list[str], runs: int) -> None:
    from briefgen import build_stamp
    from briefgen.build import BuildRequest

    request = BuildRequest(project_dir=project, formats=formats)
    variant = build_stamp.variant(project, None, request.settings())
    assert variant is not None
    checks, snapshots, records = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        assert build_stamp.recorded_build(variant) is not None
        checks.append(time.perf_counter() - start)
        start = time.perf_counter()
        inputs = build_stamp.snapshot(variant)
        snapshots.append(time.perf_counter() - start)
        outputs = [project / "build" / f"brief.{fmt}" for fmt in formats]
        start = time.perf_counter()
        build_stamp.record(inputs, outputs, [], [])
        records.append(time.perf_counter() - start)
    print(f"in process, {len(inputs.inputs)} input files:")
    print(f"  check (stamp read, inputs compared): {_fmt(checks)}")
    print(f"  listing and hashing the inputs:      {_fmt(snapshots)}")
    print(f"  writing the stamp:                   {_fmt(records)}")


if __name__ == "__main__":
    main()
