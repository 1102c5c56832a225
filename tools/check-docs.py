#!/usr/bin/env python3
"""Checks the repository's Markdown for readers who have only the repository.

1. Every relative link in every Markdown file (README.md, scenarios/, docs/,
   ...) resolves: the file or directory exists, and a "#fragment" names a
   heading of the target (GitHub's anchor rule: lower case, punctuation
   but '-' and '_' dropped, spaces to '-').
2. No Markdown file names notes that are not in the repository (a path
   with "shared/reference", "DESIGN.md", "flink-behaviour.md",
   "calibration.md" or "calibration §"), and no other file under sim/,
   include/, bench/, plots/, scenarios/, tests/ or tools/ does either
   (comments and strings cite Flink classes, tickets and public
   measurements instead). This script, which names them to refuse them, is
   the one file exempt.
3. Every bundled scenario (scenarios/*.json) has a row in the table of
   scenarios/README.md's "Bundled scenarios" section, and every file that
   table names exists.

Usage: tools/check-docs.py SOURCE_ROOT. Prints TAP; exits 1 on a failure.
"""
import os
import re
import sys

LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
SKIP_DIRS = {".git", "build", "build-asan", "out", "subprojects"}
OUTSIDE = re.compile(r"shared/reference|DESIGN\.md|flink-behaviour\.md|"
                     r"calibration\.md|calibration §")
# The folders whose files (all but Markdown, which check_links reads) must
# not name those notes either, and the files exempt from that rule.
SOURCE_DIRS = ("sim", "include", "bench", "plots", "scenarios", "tests",
               "tools")
EXEMPT = {os.path.join("tools", "check-docs.py")}
OUTSIDE_BYTES = re.compile(OUTSIDE.pattern.encode("utf-8"))


def markdown_files(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames
                             if d not in SKIP_DIRS and not d.startswith("build"))
        for name in sorted(filenames):
            if name.endswith(".md"):
                yield os.path.join(dirpath, name)


def prose_lines(text):
    """The lines outside fenced code blocks, with their numbers."""
    fenced = False
    for no, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield no, line


def anchor(heading):
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(path, cache={}):
    if path not in cache:
        found = set()
        with open(path, encoding="utf-8") as f:
            for _, line in prose_lines(f.read()):
                m = HEADING.match(line)
                if m:
                    base = anchor(m.group(2))
                    name, k = base, 1
                    while name in found:
                        name = f"{base}-{k}"
                        k += 1
                    found.add(name)
        cache[path] = found
    return cache[path]


def check_links(root, path, text):
    problems = []
    rel = os.path.relpath(path, root)
    for no, raw in prose_lines(text):
        if OUTSIDE.search(raw):
            problems.append(f"{rel}:{no}: names notes outside the repository")
        # Inline code is not a link.
        line = re.sub(r"`[^`]*`", "", raw)
        for m in list(LINK.finditer(line)) + list(IMAGE.finditer(line)):
            target = m.group(1)
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                continue  # http:, https:, mailto:
            file_part, _, fragment = target.partition("#")
            dest = path if not file_part else os.path.normpath(
                os.path.join(os.path.dirname(path), file_part))
            if not os.path.exists(dest):
                problems.append(f"{rel}:{no}: {target}: no such file")
                continue
            if not os.path.realpath(dest).startswith(os.path.realpath(root) + os.sep):
                problems.append(f"{rel}:{no}: {target}: outside the repository")
                continue
            if fragment and dest.endswith(".md") and fragment not in anchors(dest):
                problems.append(f"{rel}:{no}: {target}: no heading #{fragment} "
                                f"in {os.path.relpath(dest, root)}")
    return problems


def check_sources(root):
    """file:line of every mention of the outside notes in SOURCE_DIRS."""
    problems = []
    for top in SOURCE_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames
                                 if d not in SKIP_DIRS and not d.startswith("build"))
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                if name.endswith(".md") or rel in EXEMPT:
                    continue
                with open(path, "rb") as f:
                    data = f.read()
                for m in OUTSIDE_BYTES.finditer(data):
                    no = data.count(b"\n", 0, m.start()) + 1
                    what = m.group(0).decode("utf-8")
                    problems.append(f"{rel}:{no}: names notes outside the "
                                    f"repository (\"{what}\"); cite the Flink "
                                    f"class, ticket or public source instead")
    return problems


def bundled_table(root):
    """File names in the first column of scenarios/README.md's table under
    the heading "Bundled scenarios"."""
    path = os.path.join(root, "scenarios", "README.md")
    names, inside = [], False
    with open(path, encoding="utf-8") as f:
        for _, line in prose_lines(f.read()):
            m = HEADING.match(line)
            if m:
                inside = m.group(2).strip().lower() == "bundled scenarios"
                continue
            if inside and line.startswith("|"):
                first = line.split("|")[1]
                names += re.findall(r"`([^`]+\.json)`", first)
    return names


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    results = []
    for path in markdown_files(root):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        problems = check_links(root, path, text)
        results.append((f"links of {os.path.relpath(path, root)} resolve",
                        problems))
    results.append(("no source file names notes outside the repository",
                    check_sources(root)))
    listed = bundled_table(root)
    bundled = sorted(n for n in os.listdir(os.path.join(root, "scenarios"))
                     if n.endswith(".json"))
    problems = [f"scenarios/{n}: no row in scenarios/README.md's "
                f"\"Bundled scenarios\" table" for n in bundled if n not in listed]
    problems += [f"scenarios/README.md names {n}, which is not in scenarios/"
                 for n in listed if n not in bundled]
    results.append(("every bundled scenario has a row in scenarios/README.md",
                    problems))
    print(f"1..{len(results)}")
    failed = 0
    for i, (name, problems) in enumerate(results, 1):
        print(("ok" if not problems else "not ok") + f" {i} - {name}")
        for p in problems:
            print(f"# {p}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
