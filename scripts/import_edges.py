"""Count the imports between Sinergi's apps and the cycles they make.

    python scripts/import_edges.py [--root DIR] [--with-tests] [--edges]

Reads every module under sinergi/<app>/ (migrations left out; tests left out unless --with-tests) with `ast`,
resolves absolute and relative imports, and prints: the import statements that cross apps (module level and
inside functions, as import-linter counts them), the distinct app -> app edges, the pairs of apps that import
each other and the strongly connected groups of apps (a group of more than one app is a cycle). Last, the
test-to-code ratio: lines of Python in tests (tests/ folders, conftest.py, testkit/) over lines of Python in the
rest of sinergi/ (migrations left out).
Reads files only; imports nothing of the project.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import Counter, defaultdict
from pathlib import Path


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.AST, module: str, is_package: bool) -> list[str]:
    package = module if is_package else module.rpartition(".")[0]
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append(target)
    return found


def app_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "sinergi":
        return parts[1]
    return None


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def is_test(rel: tuple[str, ...]) -> bool:
    return rel[0] == "testkit" or "tests" in rel or rel[-1] == "conftest.py" or rel[-2:] == ("core", "testing.py")


def test_to_code(root: Path) -> tuple[int, int]:
    counts = {True: 0, False: 0}
    for top in ("sinergi", "testkit"):
        for path in (root / top).rglob("*.py"):
            rel = path.relative_to(root).parts
            if "migrations" not in rel:
                counts[is_test(rel)] += len(path.read_text(encoding="utf-8").splitlines())
    return counts[True], counts[False]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=".", help="repository root (holds sinergi/)")
    parser.add_argument("--with-tests", action="store_true", help="count imports made by tests too")
    parser.add_argument("--edges", action="store_true", help="list every app -> app edge with its count")
    args = parser.parse_args()
    root = Path(args.root).resolve()
    statements: Counter[tuple[str, str]] = Counter()
    apps = {p.name for p in (root / "sinergi").iterdir() if (p / "__init__.py").exists()}
    for path in sorted((root / "sinergi").rglob("*.py")):
        rel = path.relative_to(root).parts
        if "migrations" in rel or (not args.with_tests and ("tests" in rel or path.name == "conftest.py")):
            continue
        module = module_name(path, root)
        source_app = app_of(module)
        if source_app not in apps:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for target in imported_modules(tree, module, path.name == "__init__.py"):
            target_app = app_of(target)
            if target_app in apps and target_app != source_app:
                statements[(source_app, target_app)] += 1
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in statements:
        graph[source].add(target)
    for app in apps:
        graph.setdefault(app, set())
    mutual = sorted({tuple(sorted(pair)) for pair in statements if (pair[1], pair[0]) in statements})
    cycles = [group for group in strongly_connected(graph) if len(group) > 1]
    print(f"apps: {len(apps)}  ({'with' if args.with_tests else 'without'} tests)")
    print(f"cross-app import statements: {sum(statements.values())}")
    print(f"distinct app -> app edges: {len(statements)}")
    print(f"mutual pairs (a imports b and b imports a): {len(mutual)} {['<->'.join(p) for p in mutual]}")
    print(f"cycles (strongly connected groups of apps): {len(cycles)} {cycles}")
    for floor in ("core", "areas", "accounts"):
        upward = sorted(target for target in graph[floor] if target not in {"core", "areas", "accounts"})
        print(f"{floor} imports: {sorted(graph[floor])}  (domain apps: {upward})")
    tests, code = test_to_code(root)
    print(f"test-to-code ratio: {tests} / {code} = {tests / code:.2f}")
    if args.edges:
        for (source, target), count in sorted(statements.items()):
            print(f"  {source} -> {target}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
