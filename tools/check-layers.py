#!/usr/bin/env python3
"""Checks that includes flow downward through rescalesim's layers.

The layers, lowest first: engine < model < sched < control < scenario <
report < harness < cli (DESIGN in docs/architecture.md). A file under
sim/LAYER/ may include
  - a public header include/rescalesim/H.h of its own layer or one below
    (the table PUBLIC says which layer each public header belongs to);
  - "OTHER/name.h" of its own layer or one below, where a header whose name
    ends in -private.h only from its own layer;
  - "name.h", a header beside it.
A public header may include public headers of its own layer or below.
Prints every violation as FILE:LINE: message and exits 1 if there is one;
with --stamp FILE writes FILE when the tree is clean (for the build).

Usage: check-layers.py SOURCE_ROOT [--stamp FILE]
"""
import os
import re
import sys

LAYERS = ["engine", "model", "sched", "control", "scenario", "report",
          "harness", "cli"]
RANK = {name: i for i, name in enumerate(LAYERS)}

# The layer of each public header (include/rescalesim/).
PUBLIC = {
    "forward.h": "engine", "engine.h": "engine",
    "version.h": "model", "rules.h": "model", "jobstatus.h": "model",
    "costs.h": "model", "cluster.h": "model", "jobgraph.h": "model",
    "workload.h": "model", "flinkconf.h": "model", "metrics.h": "model",
    "timeline.h": "control", "failures.h": "control",
    "autoscaler.h": "control", "controllers.h": "control", "hpa.h": "control",
    "simulation.h": "control",
    "scenario.h": "scenario", "sweep.h": "scenario", "import.h": "scenario",
    "report.h": "report",
    "harness.h": "harness", "sweep-run.h": "harness",
    "calibrate.h": "harness", "advise.h": "harness",
}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def includes(path):
    with open(path, encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, 1):
            m = INCLUDE.match(line)
            if m:
                yield number, m.group(1), m.group(2)


def check_public(root, problems):
    pub = os.path.join(root, "include", "rescalesim")
    for name in sorted(os.listdir(pub)):
        if not name.endswith(".h"):
            continue
        path = os.path.join(pub, name)
        rel = os.path.relpath(path, root)
        layer = PUBLIC.get(name)
        if layer is None:
            problems.append(f"{rel}:1: public header not in the layer table "
                            f"of tools/check-layers.py")
            continue
        for number, kind, target in includes(path):
            if kind == "<" and target.startswith("rescalesim/"):
                other = PUBLIC.get(target.split("/", 1)[1])
                if other is not None and RANK[other] > RANK[layer]:
                    problems.append(
                        f"{rel}:{number}: includes <{target}> of the {other} "
                        f"layer, above this header's {layer} layer")
            elif kind == '"':
                problems.append(f"{rel}:{number}: a public header includes "
                                f"a private one (\"{target}\")")


def check_sources(root, problems):
    sim = os.path.join(root, "sim")
    for layer in sorted(os.listdir(sim)):
        ldir = os.path.join(sim, layer)
        if not os.path.isdir(ldir):
            continue
        if layer not in RANK:
            problems.append(f"sim/{layer}: a directory that is not a layer")
            continue
        for name in sorted(os.listdir(ldir)):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(ldir, name)
            rel = os.path.relpath(path, root)
            for number, kind, target in includes(path):
                if kind == "<":
                    if not target.startswith("rescalesim/"):
                        continue
                    header = target.split("/", 1)[1]
                    other = PUBLIC.get(header)
                    if other is None:
                        problems.append(f"{rel}:{number}: <{target}> is not "
                                        f"in the layer table")
                    elif RANK[other] > RANK[layer]:
                        problems.append(
                            f"{rel}:{number}: includes <{target}> of the "
                            f"{other} layer, above the {layer} layer")
                    continue
                if "/" not in target:
                    if not os.path.exists(os.path.join(ldir, target)):
                        problems.append(f"{rel}:{number}: \"{target}\" is "
                                        f"not a header of sim/{layer}/")
                    continue
                other, header = target.split("/", 1)
                if other not in RANK:
                    problems.append(f"{rel}:{number}: \"{target}\" names no "
                                    f"layer")
                elif RANK[other] > RANK[layer]:
                    problems.append(
                        f"{rel}:{number}: includes \"{target}\" of the "
                        f"{other} layer, above the {layer} layer")
                elif header.endswith("-private.h") and other != layer:
                    problems.append(
                        f"{rel}:{number}: includes \"{target}\", a private "
                        f"header of the {other} layer")


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = argv[1]
    stamp = None
    if len(argv) == 4 and argv[2] == "--stamp":
        stamp = argv[3]
    problems = []
    check_public(root, problems)
    check_sources(root, problems)
    for p in problems:
        print(p)
    if problems:
        print(f"check-layers: {len(problems)} include(s) against the layers",
              file=sys.stderr)
        return 1
    if stamp:
        with open(stamp, "w") as fh:
            fh.write("layers ok\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
