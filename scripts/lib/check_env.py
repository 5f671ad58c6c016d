#!/usr/bin/env python3
"""The template/config consistency check (issue 6), run by scripts/check-infra.

Every CURFEW_* variable that a deployed binary's code reads must be set by
infra/template.yaml on the function that runs that binary, unless LOCAL_ONLY
below says why Lambda does not need it; and every variable the template sets
must be read by that binary's code. Fails, naming the function, the variable
and the file, when either side drifts.

Driven by the sources, not by a list: the workspace's Cargo manifests say
which crates make up each binary (its own crate plus its path dependencies,
transitively; dev-dependencies excluded), and a variable counts as read by a
crate when a string literal in its src/ is exactly "CURFEW_..." (the same
thing `grep -rhoE '"CURFEW_[A-Z_]+"'` finds), outside comments and test code
(#[cfg(test)] items, tests.rs, src/**/tests/). A template function is tied to
a binary by its CodeUri: .../<binary>/bootstrap.zip (or .../<binary>/) as
scripts/build-lambda lays them out.

    check_env.py [--root DIR] [--template FILE]    the check
    check_env.py --self-test [--root DIR] [--template FILE]
                                                   proves it fails on drift

Needs PyYAML (in .venv/ with cfn-lint) and Python >= 3.11 (tomllib).
"""

from __future__ import annotations

import argparse
import copy
import fnmatch
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PREFIX = "CURFEW_"

# Variables a deployed binary reads that the template deliberately does not
# set, each with the file(s) (fnmatch globs, relative to the workspace root)
# where it is read and why Lambda does not need it. An entry that matches no
# read any more fails the check, so the list cannot rot.
LOCAL_ONLY: dict[tuple[str, str], str] = {
    ("CURFEW_INGRESS_ADDR", "ingress/src/config.rs"): (
        "where the ingress's local HTTP front end listens; under Lambda "
        "(AWS_LAMBDA_RUNTIME_API set) requests come through the runtime API "
        "and no socket is bound"
    ),
    ("CURFEW_INGRESS_ADDR", "worker/src/cli/chat*"): (
        "`curfew chat`, the local console, posts to the ingress at this address"
    ),
    ("CURFEW_JANDI_TOKENS", "worker/src/cli/chat*"): (
        "`curfew chat` signs the payloads it posts with a token; the worker "
        "never checks tokens (the ingress does, and has it set)"
    ),
    ("CURFEW_SLACK_SIGNING_SECRETS", "worker/src/cli/chat*"): (
        "`curfew chat --front slack` signs the requests it posts with the first "
        "secret; the worker never verifies a signature (the ingress does, and "
        "has it set)"
    ),
    ("CURFEW_CHAT_ADDR", "worker/src/cli/chat*"): (
        "`curfew chat` receives replies on a local incoming-webhook endpoint "
        "at this address"
    ),
    ("CURFEW_AWS_ATTEMPT_TIMEOUT", "worker/src/adapters/aws.rs"): (
        "the benchmarks lengthen the AWS call timeouts for moto, which answers "
        "a 10,000-instance DescribeInstances in about 90 s; on AWS a page takes "
        "a second or two and the defaults (10 s an attempt, 25 s a call) apply"
    ),
    ("CURFEW_SLACK_RESPONSE_PREFIX", "worker/src/config.rs"): (
        "tests point it at their stand-in for Slack; on AWS the default, "
        "https://hooks.slack.com/, is the only prefix a response_url has"
    ),
    ("CURFEW_REQUIRE_LOCAL_AWS", "testkit/src/*"): (
        "tests only (testkit is a dev-dependency, in no binary): integration "
        "tests fail instead of skipping when no local AWS answers"
    ),
}

# Variables that are not curfew's but that the template may set, and who
# reads them. None is set today; a template that sets any other non-CURFEW_
# variable fails the check.
EXTERNAL: dict[str, str] = {
    "RUST_LOG": "tracing-subscriber's EnvFilter (log level), in both main.rs",
}


# ------------------------------------------------------------------ sources


def rust_literals(src: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Returns `src` with comments and literal contents blanked out (same
    length, so offsets hold) and the string literals as (start, end, value)."""
    out = list(src)
    literals: list[tuple[int, int, str]] = []
    i, n = 0, len(src)

    def blank(a: int, b: int) -> None:
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif src.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if src.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif src.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            blank(i, j)
            i = j
        elif (m := re.compile(r'b?r(#*)"').match(src, i)) and (
            i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")
        ):
            close = '"' + m.group(1)
            j = src.find(close, m.end())
            j = n if j < 0 else j
            literals.append((i, j + len(close), src[m.end() : j]))
            blank(m.end(), j)
            i = j + len(close)
        elif c == '"':
            j, value = i + 1, []
            while j < n and src[j] != '"':
                if src[j] == "\\":
                    value.append(src[j : j + 2])
                    j += 2
                else:
                    value.append(src[j])
                    j += 1
            literals.append((i, j + 1, "".join(value)))
            blank(i + 1, j)
            i = j + 1
        elif c == "'":
            # A char literal ('x', '\n', '\u{1F600}', '{') or a lifetime ('a).
            m = re.compile(r"'(\\u\{[0-9a-fA-F]+\}|\\.|[^\\'])'").match(src, i)
            if m:
                blank(i + 1, m.end() - 1)
                i = m.end()
            else:
                i += 1
        else:
            i += 1
    return "".join(out), literals


CFG_TEST = re.compile(r"#\s*\[\s*cfg\s*\(\s*(?:all\s*\(\s*)?test\b")


def test_spans(masked: str) -> list[tuple[int, int]]:
    """The spans of items under #[cfg(test)] (a `mod tests { }`, a helper fn,
    a `mod tests;`), found on comment- and literal-free text."""
    spans = []
    for m in CFG_TEST.finditer(masked):
        j, n = m.start(), len(masked)
        # Skip this attribute and any that follow it.
        while True:
            while j < n and masked[j].isspace():
                j += 1
            if not masked.startswith("#", j):
                break
            k = masked.find("[", j)
            depth = 0
            while k < n:
                depth += {"[": 1, "]": -1}.get(masked[k], 0)
                k += 1
                if depth == 0:
                    break
            j = k
        # The item: up to a `;` or a `{ ... }` at depth 0.
        depth = 0
        while j < n:
            ch = masked[j]
            if ch in "([":
                depth += 1
            elif ch in ")]":
                depth -= 1
            elif depth == 0 and ch == ";":
                j += 1
                break
            elif depth == 0 and ch == "{":
                braces = 0
                while j < n:
                    braces += {"{": 1, "}": -1}.get(masked[j], 0)
                    j += 1
                    if braces == 0:
                        break
                break
            j += 1
        spans.append((m.start(), j))
    return spans


def is_test_file(rel: Path) -> bool:
    return rel.name == "tests.rs" or "tests" in rel.parts[:-1]


def reads_in_file(src: str) -> set[str]:
    """The CURFEW_* names this file's non-test code reads."""
    masked, literals = rust_literals(src)
    skip = test_spans(masked)
    found = set()
    for start, _end, value in literals:
        if re.fullmatch(PREFIX + r"[A-Z0-9_]+", value) and not any(
            a <= start < b for a, b in skip
        ):
            found.add(value)
    return found


@dataclass
class Crate:
    name: str
    dir: str  # relative to the workspace root, e.g. "worker"
    bins: list[str]
    path_deps: list[str] = field(default_factory=list)  # crate names


def workspace(root: Path) -> dict[str, Crate]:
    """The workspace's crates by package name, from the Cargo manifests."""
    top = tomllib.loads((root / "Cargo.toml").read_text())
    ws_deps = top.get("workspace", {}).get("dependencies", {})
    crates = {}
    for member in top.get("workspace", {}).get("members", []):
        manifest = tomllib.loads((root / member / "Cargo.toml").read_text())
        name = manifest["package"]["name"]
        bins = [b["name"] for b in manifest.get("bin", [])]
        if not bins and (root / member / "src" / "main.rs").exists():
            bins = [name]
        deps = []
        for dep, spec in manifest.get("dependencies", {}).items():
            if isinstance(spec, dict) and spec.get("workspace"):
                spec = ws_deps.get(dep, {})
            if isinstance(spec, dict) and "path" in spec:
                deps.append(spec.get("package", dep))
        crates[name] = Crate(name, member, bins, deps)
    return crates


def binary_crates(crates: dict[str, Crate]) -> dict[str, list[Crate]]:
    """Each binary's crates: its own and its path dependencies, transitively."""
    result = {}
    for crate in crates.values():
        for binary in crate.bins:
            seen, todo = [], [crate.name]
            while todo:
                name = todo.pop()
                if name in crates and crates[name] not in seen:
                    seen.append(crates[name])
                    todo.extend(crates[name].path_deps)
            result[binary] = seen
    return result


def source_reads(
    root: Path, crates: dict[str, Crate], overlay: dict[str, str] | None = None
) -> dict[str, set[str]]:
    """Variable -> the files (relative, posix) whose non-test code reads it.
    `overlay` replaces or adds files by relative path (the self-test's drift)."""
    overlay = overlay or {}
    files: dict[str, str] = {}
    for crate in crates.values():
        src = root / crate.dir / "src"
        for path in sorted(src.rglob("*.rs")):
            files[path.relative_to(root).as_posix()] = path.read_text()
    files.update(overlay)
    reads: dict[str, set[str]] = {}
    for rel, text in files.items():
        if is_test_file(Path(rel)):
            continue
        for var in reads_in_file(text):
            reads.setdefault(var, set()).add(rel)
    return reads


# ----------------------------------------------------------------- template


class CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short forms (!Ref, !GetAtt, !Sub, ...)."""


def _intrinsic(loader: CfnLoader, suffix: str, node: yaml.Node):
    name = "Ref" if suffix == "Ref" else "Fn::" + suffix
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


CfnLoader.add_multi_constructor("!", _intrinsic)


def load_template(path: Path) -> dict:
    return yaml.load(path.read_text(), Loader=CfnLoader)  # noqa: S506 (SafeLoader subclass)


@dataclass
class Function:
    logical_id: str
    binary: str | None
    code_uri: object
    env: dict[str, object]


def template_functions(template: dict) -> list[Function]:
    """The template's Lambda functions with their variables (SAM Globals
    merged in) and the binary each runs, from its CodeUri."""
    globals_env = (
        template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    )
    functions = []
    for logical_id, resource in template.get("Resources", {}).items():
        kind = resource.get("Type")
        if kind not in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
            continue
        props = resource.get("Properties", {})
        env = dict(globals_env) if kind == "AWS::Serverless::Function" else {}
        env.update(props.get("Environment", {}).get("Variables", {}) or {})
        code_uri = props.get("CodeUri", props.get("Code"))
        binary = None
        if isinstance(code_uri, str):
            path = Path(code_uri.rstrip("/"))
            binary = path.parent.name if path.suffix == ".zip" else path.name
        functions.append(Function(logical_id, binary, code_uri, env))
    return functions


# -------------------------------------------------------------------- check


def check(root: Path, template: dict, overlay: dict[str, str] | None = None) -> list[str]:
    """Every mismatch between the code and the template, as messages."""
    crates = workspace(root)
    by_binary = binary_crates(crates)
    reads = source_reads(root, crates, overlay)
    problems = []

    def local_only(var: str, rel: str) -> str | None:
        for (name, pattern), reason in LOCAL_ONLY.items():
            if name == var and fnmatch.fnmatch(rel, pattern):
                return reason
        return None

    for (var, pattern), _reason in LOCAL_ONLY.items():
        if not any(fnmatch.fnmatch(rel, pattern) for rel in reads.get(var, ())):
            problems.append(
                f"LOCAL_ONLY entry ({var}, {pattern}) in scripts/lib/check_env.py matches "
                f"no read of {var} any more: remove the entry (or fix its path)"
            )

    functions = template_functions(template)
    if not functions:
        problems.append("the template has no Lambda function")
    for fn in functions:
        if fn.binary not in by_binary:
            problems.append(
                f"{fn.logical_id}: cannot tell which binary it runs from CodeUri "
                f"{fn.code_uri!r}; expected .../<binary>/bootstrap.zip with <binary> one of "
                f"{', '.join(sorted(by_binary))}"
            )
            continue
        dirs = [c.dir + "/" for c in by_binary[fn.binary]]
        where = ", ".join(d + "src" for d in dirs)
        mine = {
            var: sorted(rel for rel in rels if any(rel.startswith(d) for d in dirs))
            for var, rels in reads.items()
        }
        mine = {var: rels for var, rels in mine.items() if rels}
        for var, rels in sorted(mine.items()):
            needed = [rel for rel in rels if not local_only(var, rel)]
            if needed and var not in fn.env:
                problems.append(
                    f"{fn.logical_id} ({fn.binary}) does not set {var}, which "
                    f"{', '.join(needed)} reads: set it in the template's "
                    f"Environment.Variables, or add it to LOCAL_ONLY in "
                    f"scripts/lib/check_env.py with the reason Lambda does not need it"
                )
        for var in sorted(fn.env):
            if not var.startswith(PREFIX):
                if var not in EXTERNAL:
                    problems.append(
                        f"{fn.logical_id} sets {var}, which is not curfew's and not in "
                        f"EXTERNAL in scripts/lib/check_env.py (who reads it?)"
                    )
                continue
            if var not in mine:
                problems.append(
                    f"{fn.logical_id} ({fn.binary}) sets {var}, which no code of "
                    f"{fn.binary} reads ({where}): remove it from the template, "
                    f"or the code lost its reader"
                )
            elif all(local_only(var, rel) for rel in mine[var]):
                problems.append(
                    f"{fn.logical_id} ({fn.binary}) sets {var}, which LOCAL_ONLY says "
                    f"Lambda does not need ({local_only(var, mine[var][0])}): remove "
                    f"it from the template or from LOCAL_ONLY"
                )
    return problems


def report(root: Path, template_path: Path) -> int:
    template = load_template(template_path)
    problems = check(root, template)
    for problem in problems:
        print(f"env drift: {problem}", file=sys.stderr)
    if problems:
        print(
            f"check_env: {len(problems)} mismatch(es) between the code and {template_path}",
            file=sys.stderr,
        )
        return 1
    functions = template_functions(template)
    for fn in functions:
        print(f"  {fn.logical_id} ({fn.binary}): {', '.join(sorted(fn.env))}")
    print(
        f"check_env: every CURFEW_* variable the code reads is set by {template_path} "
        f"on its function ({len(LOCAL_ONLY)} local-only reads allowlisted), and every "
        f"one it sets is read"
    )
    return 0


# ---------------------------------------------------------------- self-test


def self_test(root: Path, template_path: Path) -> int:
    """Proves the check fails on drift on either side, and only then."""
    base = load_template(template_path)
    functions = {fn.binary: fn.logical_id for fn in template_functions(base)}
    worker, ingress = functions.get("curfew"), functions.get("curfew-ingress")
    if not worker or not ingress:
        print("self-test: the template needs both functions", file=sys.stderr)
        return 1
    crates = workspace(root)
    lib = {c.name: f"{c.dir}/src/lib.rs" for c in crates.values()}

    def env_of(template: dict, logical_id: str) -> dict:
        props = template["Resources"][logical_id]["Properties"]
        return props.setdefault("Environment", {}).setdefault("Variables", {})

    def removed(var: str, logical_id: str) -> dict:
        t = copy.deepcopy(base)
        env_of(t, logical_id).pop(var)
        return t

    def added(var: str, logical_id: str) -> dict:
        t = copy.deepcopy(base)
        env_of(t, logical_id)[var] = "1"
        return t

    def reading(rel: str, code: str) -> dict[str, str]:
        return {rel: (root / rel).read_text() + "\n" + code + "\n"}

    a_worker_var = sorted(v for v in env_of(base, worker) if v.startswith(PREFIX))[0]
    cases = [
        # (what drifts, template, source overlay, text every failure must show; None = passes)
        ("nothing (the real template and code)", base, None, None),
        (
            f"template: {a_worker_var} removed from {worker}",
            removed(a_worker_var, worker), None, [worker, a_worker_var, "does not set"],
        ),
        (
            f"template: CURFEW_NOT_READ_ANYWHERE added to {ingress}",
            added("CURFEW_NOT_READ_ANYWHERE", ingress), None,
            [ingress, "CURFEW_NOT_READ_ANYWHERE", "no code of"],
        ),
        (
            f"template: CURFEW_INGRESS_ADDR (local-only) added to {ingress}",
            added("CURFEW_INGRESS_ADDR", ingress), None, ["LOCAL_ONLY says"],
        ),
        (
            f"template: CURFEW_TABLE (a worker variable) added to {ingress}",
            added("CURFEW_TABLE", ingress), None, [ingress, "CURFEW_TABLE", "no code of"],
        ),
        (
            "template: SOME_OTHER_VAR (not curfew's) added",
            added("SOME_OTHER_VAR", worker), None, ["SOME_OTHER_VAR", "EXTERNAL"],
        ),
        (
            "code: worker reads a new CURFEW_NEW_SETTING",
            base,
            reading(lib["curfew-worker"],
                    'pub fn drift() -> Option<String> { std::env::var("CURFEW_NEW_SETTING").ok() }'),
            [worker, "CURFEW_NEW_SETTING", "does not set"],
        ),
        (
            "code: shared reads a new CURFEW_SHARED_SETTING (both functions must set it)",
            base,
            reading(lib["curfew-shared"], 'pub const DRIFT: &str = "CURFEW_SHARED_SETTING";'),
            [worker, ingress, "CURFEW_SHARED_SETTING"],
        ),
        (
            "code: only test code reads CURFEW_ONLY_IN_TESTS (ignored)",
            base,
            reading(lib["curfew-worker"],
                    '#[cfg(test)]\nmod drift_tests {\n    const X: &str = "CURFEW_ONLY_IN_TESTS";\n}'),
            None,
        ),
        (
            "code: a comment names \"CURFEW_IN_A_COMMENT\" (ignored)",
            base,
            reading(lib["curfew-worker"], '// see "CURFEW_IN_A_COMMENT"'),
            None,
        ),
    ]
    failed = 0
    for what, template, overlay, expect in cases:
        problems = check(root, template, overlay)
        text = "\n".join(problems)
        if expect is None:
            ok = not problems
        else:
            ok = bool(problems) and all(e in text for e in expect)
        failed += not ok
        print(f"  {'ok  ' if ok else 'FAIL'} drift in {what}: "
              f"{'check fails' if problems else 'check passes'}")
        for problem in problems:
            print(f"         {problem}")
    print(f"check_env self-test: {len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = Path(__file__).resolve().parents[2]
    parser.add_argument("--root", type=Path, default=here, help="the cargo workspace")
    parser.add_argument("--template", type=Path, default=None,
                        help="default: ROOT/infra/template.yaml")
    parser.add_argument("--self-test", action="store_true",
                        help="show that the check fails on drift (either side)")
    args = parser.parse_args()
    template = args.template or args.root / "infra" / "template.yaml"
    if args.self_test:
        return self_test(args.root, template)
    return report(args.root, template)


if __name__ == "__main__":
    sys.exit(main())
