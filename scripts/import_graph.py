"""Print which of our apps imports which, and fail on an import that runs upwards.

The apps stand in layers; a module may import its own app and the layers below
it, never a layer above or a neighbour on its own layer:

    refuge      settings, URLs, WSGI, operations (may import everything)
    bookings    places on events' dates, waiting list, withheld venues
    events      the calendar            volunteers   sign-up and coordination
    programme   strands, projects, writers, pages, search
    core        fields, publishing, images, caching, roles, admin base

Migrations are history and are not checked; tests and bench sit above everything.
`make check` runs this.
"""

# ruff: noqa: T201 (a report on the terminal is the point)
import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"core": 0, "programme": 1, "events": 2, "volunteers": 2, "bookings": 3, "refuge": 4}


def app_of(module: str) -> str | None:
    top = module.split(".", 1)[0]
    return top if top in LAYERS else None


def imports_of(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
    return found


def main() -> int:
    edges: dict[tuple[str, str], int] = defaultdict(int)
    upward = []
    for app, layer in LAYERS.items():
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for module, line in imports_of(path):
                target = app_of(module)
                if target is None or target == app:
                    continue
                edges[(app, target)] += 1
                if LAYERS[target] >= layer:
                    upward.append(f"{path.relative_to(ROOT)}:{line}: {app} imports {module}")
    print("Imports between apps (count of import statements):")
    for (source, target), count in sorted(edges.items(), key=lambda e: (-LAYERS[e[0][0]], e[0])):
        direction = "down" if LAYERS[target] < LAYERS[source] else "UP"
        print(f"  {source:<10} -> {target:<10} {count:>3}  {direction}")
    if upward:
        print("\nImports that run upwards or sideways:", file=sys.stderr)
        for line in upward:
            print(f"  {line}", file=sys.stderr)
        return 1
    print("No import runs upwards.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
