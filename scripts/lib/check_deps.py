#!/usr/bin/env python3
"""One HTTP stack (issue 27): no HTTP or TLS crate in two major versions.

Reads `cargo tree -e normal --workspace -d` (the normal dependency tree's
duplicates, each with the chain of crates that pulls it) and fails when any
crate of the HTTP / TLS stack appears in more than one major version (0.x
counts its minor as the major, as cargo does), naming, for the older one, the
workspace-facing crates that pull it. The SDK's legacy stack (hyper 0.14,
h2 0.3, rustls 0.21, rustls-webpki 0.101, tokio-rustls 0.24) came in through
the SDK crates' default `rustls` feature.

    check_deps.py                  runs cargo tree here and checks it
    check_deps.py --tree FILE      checks a saved `cargo tree -d` output
    check_deps.py --self-test      the check fails on the saved tree of the
                                   SDK crates with their default features
                                   (fixtures/tree-legacy-http.txt), naming
                                   the crates that pulled hyper 0.14, and
                                   passes on a tree without it

Duplicates of other crates are allowed here; docs/DEPLOY.md lists them and
why they remain.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

HTTP_TLS = {
    "hyper", "h2", "http", "http-body", "hyper-rustls", "hyper-util",
    "rustls", "rustls-webpki", "tokio-rustls", "rustls-native-certs",
    "webpki-roots",
}

FIXTURE = Path(__file__).parent / "fixtures" / "tree-legacy-http.txt"

ROOT = re.compile(r"^(?P<name>[A-Za-z0-9_-]+) v(?P<version>\S+)")
CHILD = re.compile(r"^(?P<indent>[│├└─ ]+)(?P<name>[A-Za-z0-9_-]+) v(?P<version>\S+)")


def series(version: str) -> str:
    """The semver-compatible series: `1` for 1.12.0, `0.14` for 0.14.32."""
    parts = version.split(".")
    return parts[0] if parts[0] != "0" else ".".join(parts[:2])


def nodes(tree: str) -> list:
    """Every line of `cargo tree -d` as (depth, name, version): depth 0 is a
    duplicated crate, and the lines one deeper under any occurrence of a
    crate are the crates that depend on it (the tree is inverted)."""
    out = []
    for line in tree.splitlines():
        root = ROOT.match(line)
        if root:
            out.append((0, root["name"], root["version"]))
            continue
        child = CHILD.match(line)
        if child:
            out.append((len(child["indent"]) // 4, child["name"], child["version"]))
    return out


def duplicates(tree: str) -> dict:
    """crate name -> {series: [versions]} of the duplicated crates."""
    found: dict = {}
    for depth, name, version in nodes(tree):
        if depth == 0:
            versions = found.setdefault(name, {}).setdefault(series(version), [])
            if version not in versions:
                versions.append(version)
    return found


def pullers(tree: str, name: str, version: str) -> list:
    """The crates that depend on `name` `version` directly, from every
    place it appears in the tree."""
    listed = nodes(tree)
    found = set()
    for i, (depth, n, v) in enumerate(listed):
        if (n, v) != (name, version):
            continue
        for d, child, child_version in listed[i + 1:]:
            if d <= depth:
                break
            if d == depth + 1:
                found.add(f"{child} v{child_version}")
    return sorted(found)


def version_key(version: str) -> list:
    return [int(p) if p.isdigit() else 0 for p in re.split(r"[.+-]", version)]


def problems(tree: str) -> list:
    out = []
    for name, by_series in sorted(duplicates(tree).items()):
        if name not in HTTP_TLS or len(by_series) < 2:
            continue
        versions = sorted((v for vs in by_series.values() for v in vs), key=version_key)
        oldest = versions[0]
        by = pullers(tree, name, oldest)
        out.append(
            f"{name}: {len(by_series)} major versions ({', '.join(versions)}); "
            f"{name} v{oldest} is pulled by {', '.join(by) or 'an unknown crate'}"
        )
    return out


def cargo_tree() -> str:
    return subprocess.run(
        ["cargo", "tree", "-e", "normal", "--workspace", "-d", "--locked"],
        check=True, capture_output=True, text=True,
    ).stdout


def self_test() -> int:
    cases = 0
    failed = 0
    legacy = FIXTURE.read_text()
    found = problems(legacy)
    cases += 1
    hyper = [p for p in found if p.startswith("hyper: ")]
    if not hyper or "hyper v0.14" not in hyper[0] or "aws-smithy-http-client" not in hyper[0]:
        failed += 1
        print(f"self-test: the legacy tree must fail on hyper 0.14, naming its puller: {found}")
    cases += 1
    for name in ["h2", "rustls", "rustls-webpki", "tokio-rustls"]:
        if not any(p.startswith(f"{name}: ") for p in found):
            failed += 1
            print(f"self-test: the legacy tree must fail on {name}: {found}")
    cases += 1
    clean = "\n".join(
        block for block in re.split(r"\n(?=\S)", legacy)
        if ROOT.match(block) and ROOT.match(block)["name"] not in HTTP_TLS
    )
    if problems(clean):
        failed += 1
        print(f"self-test: a tree of non-HTTP duplicates must pass: {problems(clean)}")
    print(f"check_deps self-test: {cases - failed} passed, {failed} failed")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path)
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    tree = args.tree.read_text() if args.tree else cargo_tree()
    found = problems(tree)
    for problem in found:
        print(f"check_deps: {problem}", file=sys.stderr)
    if found:
        print("check_deps: one HTTP stack only (docs/DEPLOY.md, 'Dependencies')", file=sys.stderr)
        return 1
    others = sorted(duplicates(tree))
    print(f"check_deps: one version of every HTTP / TLS crate (other duplicates: {', '.join(others) or 'none'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
