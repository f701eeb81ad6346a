"""Generated hostile data files, one per shape that once cost too much (issue 14).

Used by the regression tests (at small sizes) and by benchmarks/hostile.py (at the 2 MiB
file cap). Each shape is a function `size -> text` that builds a file of about `size`
bytes, never more than the cap; `SHAPES` lists them with the finding they reproduce.

    python -m tests.hostile_gen SHAPE [SIZE] > file.yaml
"""

from __future__ import annotations

import sys
import typing
from collections.abc import Callable

MAX_BYTES = 2 * 1024 * 1024  # ketacompare.loader.MAX_BYTES


def _header() -> list[str]:
    """The top of a valid file for the model in this checkout (version, date if needed)."""
    import dataclasses

    from ketacompare.model import Dataset

    fields = {f.name: f for f in dataclasses.fields(Dataset)}
    version = typing.get_args(typing.get_type_hints(Dataset)["version"])[0]
    lines = [f"version: {version}"]
    if "updated" in fields:
        lines.append("updated: 2026-12-03")
    return lines


def source_kind() -> str:
    """A source kind the model accepts that is not a clinic's own page."""
    from ketacompare.model import Source

    kinds = typing.get_args(typing.get_type_hints(Source)["kind"])
    return next(k for k in kinds if "clinic" not in k)


def _fits(lines: list[str], size: int) -> str:
    text = "\n".join(lines) + "\n"
    assert len(text.encode("utf-8")) <= min(size, MAX_BYTES) + 64, len(text)
    return text


def _sources(count: int, name: str = "s{}") -> list[str]:
    kind = source_kind()
    return ["sources:", *(f"  {name.format(i)}: {{kind: {kind}, title: T}}" for i in range(count))]


def _routes_head(title: str = "R", layout: str | None = None) -> list[str]:
    lines = ["comparisons:", "  routes:", f"    title: {title}", "    subject_label: Route"]
    if layout:
        lines.append(f"    layout: {layout}")
    return [*lines, "    subjects:"]


# Shapes ---------------------------------------------------------------------------------


def base60(size: int) -> str:
    """Finding 1: a YAML 1.1 base-60 number `1:1:1:...`; PyYAML converts it in n² time."""
    count = (size - 64) // 2
    return _fits([*_header()[1:], "version: " + "1:" * count + "1"], size)


def hex_year(size: int) -> str:
    """Finding 8: a hexadecimal year with more digits than str(int) allows (4,300)."""
    head = [*_header(), "sources:", "  s0:", f"    kind: {source_kind()}", "    title: T"]
    digits = size - len("\n".join(head)) - 128
    head.append("    year: 0x" + "f" * digits)
    return _fits([*head, "factors: {f: {label: F, description: D}}"], size)


def suggestions(size: int) -> str:
    """Finding 2: thousands of unknown source ids, each near one of thousands of known ids."""
    known = max(10, size // 130)  # 2 MiB: ~16,000 known, ~16,000 unknown
    lines = [*_header(), *_sources(known, "source-{:06d}")]
    lines += ["factors: {f: {label: F, description: D}}", *_routes_head()]
    lines += ["      r:", "        name: R", "        cells:", "          f:"]
    unknown = [f"sourec-{i:06d}" for i in range(known)]
    lines.append(f"            - {{text: t, sources: [{', '.join(unknown)}]}}")
    return _fits(lines, size)


def long_label_cards(size: int) -> str:
    """Finding 3: a long factor label shown once per card, across many routes."""
    routes = max(2, size // 2_000)
    label = "word " * ((size - routes * 60) // 5 // 2)
    lines = [*_header(), *_sources(1), "factors:", f"  f: {{label: {label.strip()}, "]
    lines[-1] += "description: D}"
    lines += _routes_head(layout="cards")
    for r in range(routes):
        lines.append(f"      r{r}: {{name: R{r}, cells: {{f: [{{text: t, sources: [s0]}}]}}}}")
    return _fits(lines, size)


def many_sources(size: int) -> str:
    """Finding 4: tens of thousands of sources, each cited (membership tests on a list)."""
    count = size // 70  # 2 MiB: ~30,000 sources, near the value cap
    kind = source_kind()
    lines = [*_header(), "sources:"]
    lines += [f"  s{i}: {{kind: {kind}, title: T}}" for i in range(count)]
    lines += ["factors: {f: {label: F, description: D}}", *_routes_head()]
    lines += ["      r:", "        name: R", "        cells:", "          f:"]
    lines += [f"            - {{text: t, sources: [{', '.join(f's{i}' for i in range(count))}]}}"]
    return _fits(lines, size)


def cited_sources(size: int) -> str:
    """Finding 5: one view citing thousands of distinct sources (`--sources` numbering)."""
    count = size // 110
    kind = source_kind()
    lines = [*_header(), "sources:"]
    lines += [f"  s{i}: {{kind: {kind}, title: T}}" for i in range(count)]
    lines += ["factors: {f: {label: F, description: D}}", *_routes_head()]
    routes = max(1, count // 50)
    for r in range(routes):
        cited = ", ".join(f"s{i}" for i in range(r, count, routes))
        lines.append(f"      r{r}: {{name: R{r}, cells: {{f: [{{text: t, sources: [{cited}]}}]}}}}")
    return _fits(lines, size)


def routes(count: int, factors: int = 100, fill: float = 0.2, sources: int = 20) -> str:
    """Findings 6 and the scale bound: `count` routes x `factors`, `fill` of them filled."""
    per_route = max(1, round(factors * fill))
    kind = source_kind()
    out = [*_header(), "sources:"]
    out += [f"  s{s:02d}: {{kind: {kind}, title: Generated source {s}}}" for s in range(sources)]
    out.append("factors:")
    for f in range(factors):
        out += [f"  f{f:03d}:", f"    label: Factor {f}", f"    description: Factor {f}."]
    out += _routes_head("Generated routes")
    for r in range(count):
        out += [f"      r{r:04d}:", f"        name: Route {r}", "        cells:"]
        for k in range(per_route):  # spread, so every factor has facts in some route
            f = (r + k * factors // per_route) % factors
            text = f'"Route {r}, factor {f}: a generated fact of usual length"'
            out.append(
                f"          f{f:03d}: [{{text: {text}, sources: [s{(r + f) % sources:02d}]}}]"
            )
    return "\n".join(out) + "\n"


def routes_1000(size: int) -> str:
    return routes(1000)


def tiny_values(size: int) -> str:
    """Finding 7: distinct tiny values past the value cap (each needs resolving)."""
    out, total, i = ["version: ["], 10, 0
    while total < size - 16:
        item = f"{i},"
        out.append(item)
        total += len(item)
        i += 1
    return "".join(out) + "0]\n"


def tiny_mappings(size: int) -> str:
    """Finding 7 again: a flow list of one-key mappings, the costliest values per byte."""
    count = (size - 16) // 7
    return "version: [" + "{a: b}," * count + "0]\n"


SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    "base60": ("1", base60),
    "suggestions": ("2", suggestions),
    "long-label-cards": ("3", long_label_cards),
    "many-sources": ("4", many_sources),
    "cited-sources": ("5", cited_sources),
    "routes-1000": ("6", routes_1000),
    "tiny-values": ("7", tiny_values),
    "tiny-mappings": ("7", tiny_mappings),
    "hex-year": ("8", hex_year),
}


if __name__ == "__main__":
    shape = SHAPES[sys.argv[1]][1]
    sys.stdout.write(shape(int(sys.argv[2]) if len(sys.argv) > 2 else MAX_BYTES))
