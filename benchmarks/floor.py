"""The stack's floor: load a data file with CSafeLoader and print the routes table with Rich.

No CLI framework, no validation, no typed model: the least any program that shows this
table in a terminal must do. benchmarks/startup.py times ketacompare against it.

    python benchmarks/floor.py DATA_FILE
"""

from __future__ import annotations

import io
import shutil
import sys

import yaml
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

DISCLAIMER = (
    "Educational comparison, not medical advice. Discuss any treatment decision with a clinician."
)


def cell(facts: list[dict]) -> str:
    lines = [
        f"{f['text']} (low confidence)" if f.get("confidence") == "low" else str(f["text"])
        for f in facts
    ]
    return "\n".join("• " + line for line in lines) if len(lines) > 1 else "".join(lines)


def table(title: str, corner: str, names: list[str], rows: list[list[str]]) -> Table:
    out = Table(title=Text(title, style="bold"), box=box.ROUNDED, show_lines=True)
    out.title_justify = "left"
    out.add_column(Text(corner), overflow="fold")
    for name in names:
        out.add_column(Text(name), overflow="fold")
    for row in rows:
        out.add_row(*(Text(value) for value in row))
    return out


def main(path: str) -> None:
    with open(path, "rb") as handle:
        raw = yaml.load(handle, Loader=yaml.CSafeLoader)
    routes = raw["comparisons"]["routes"]
    subjects = [s for s in routes["subjects"].values() if not s.get("hidden")]
    order = dict.fromkeys([*routes.get("rows", []), *raw["factors"]])
    factors = [k for k in order if any(k in s["cells"] for s in subjects)]
    width = shutil.get_terminal_size((100, 24)).columns
    console = Console(file=io.StringIO(), width=width, markup=False, highlight=False)

    def rows(chosen: list[dict]) -> list[list[str]]:
        return [
            [raw["factors"][k]["label"], *(cell(s["cells"].get(k, [])) or "—" for s in chosen)]
            for k in factors
        ]

    # Same layout rule as ketacompare: one card per route when the columns do not fit.
    if 14 + 16 * len(subjects) <= width:
        names = [s["name"] for s in subjects]
        console.print(table(routes["title"], "Factor", names, rows(subjects)))
    else:
        for s in subjects:
            console.print(table(s["name"], "Factor", [s["name"]], rows([s])))
    # The same closing lines: notes, the sources cited (first-cited order), the disclaimer.
    notes = [f"{s['name']}: {s['note']}" for s in subjects if s.get("note")]
    if any(k not in s["cells"] for k in factors for s in subjects):
        notes.append("'—' means the sources say nothing on this point.")
    hidden = [s["name"] for s in routes["subjects"].values() if s.get("hidden")]
    if hidden:
        notes.append(f"Not shown: {', '.join(hidden)}. Add --all to include.")
    cited = {
        sid: None
        for k in factors
        for s in subjects
        for f in s["cells"].get(k, [])
        for sid in f["sources"]
    }
    notes.append(
        f"Facts from {len(cited)} source{'' if len(cited) == 1 else 's'}: {', '.join(cited)}. "
        "Run 'ketacompare sources' for the full references."
    )
    for line in [*notes, DISCLAIMER]:
        console.print(Text(line), overflow="fold")
    text = console.file.getvalue()
    sys.stdout.write("\n".join(line.rstrip() for line in text.split("\n")))


if __name__ == "__main__":
    main(sys.argv[1])
