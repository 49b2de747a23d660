"""`claimgraph analyze balance|central|controversy|network`: the signed actor network's analytics."""

from __future__ import annotations

import csv
import json
import os
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from claimgraph.views import analytics

from .app import DataOpt, app, fail, friendly, store_for


class What(StrEnum):
    balance = "balance"
    central = "central"
    controversy = "controversy"
    network = "network"


def _sign(s: int) -> str:
    return "+" if s > 0 else "-" if s < 0 else "0"


_VERB = {"alleging": "alleges", "denying": "denies", "questioning": "questions"}


def _balance_text(b: dict[str, Any]) -> str:
    lines = [f"actors {b['actors']}, signed pairs {b['pairs']}, triads {b['triads']}, "
             f"balance score {b['balance_score']} ({len(b['balanced'])} balanced, "
             f"{len(b['unbalanced'])} unbalanced; relations: {b['include']})", ""]
    for label in ("balanced", "unbalanced"):
        lines.append(f"{label} triads:")
        for t in b[label]:
            a, c, d = t["actors"]
            s = t["signs"]
            lines.append(f"  {a} {_sign(s[0])} {c} {_sign(s[2])} {d} {_sign(s[1])} {a}")
        if not b[label]:
            lines.append("  (none)")
    lines += ["", "enemy of my enemy (pairs with a common enemy and no undisputed positive relation):"]
    for t in b["tensions"]:
        pair = "no relation" if t["pair_sign"] is None else f"pair sign {_sign(t['pair_sign'])}"
        lines.append(f"  {t['names'][0]} ({t['actors'][0]}) and {t['names'][1]} ({t['actors'][1]}): "
                     f"common enemy {', '.join(t['common_enemies'])}; {pair}")
        for p in t["positive_relations"]:
            lines.append(f"    {p['type']} {p['relation']}: {p['status']}")
            for k in ("alleging", "denying", "questioning"):
                for st in p[k]:
                    who = " and ".join(st.get("speakers", [])) or "?"
                    lines.append(f"      {_VERB[k]}: {who} "
                                 f"({st.get('stance')}, {st.get('cue')!s}): \"{st.get('quote')}\"  "
                                 f"[{st['statement']}]")
    return "\n".join(lines)


def _rows(what: What, data: Any) -> list[dict[str, Any]]:
    if what is What.balance:
        rows = [{"kind": "triad", "actors": " ".join(t["actors"]), "signs": " ".join(map(str, t["signs"])),
                 "balanced": t["balanced"], "detail": ""} for t in data["balanced"] + data["unbalanced"]]
        rows += [{"kind": "tension", "actors": " ".join(t["actors"]), "signs": t["pair_sign"],
                  "balanced": "", "detail": " ".join(f"{p['relation']}:{p['status']}"
                                                     for p in t["positive_relations"])
                  or "common enemy " + " ".join(t["common_enemies"])} for t in data["tensions"]]
        return rows
    return [{k: " ".join(v) if isinstance(v, list) else v for k, v in r.items()} for r in data]


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "(nothing)"
    cols = list(rows[0])
    width = {c: min(48, max(len(c), *(len(str(r[c])) for r in rows))) for c in cols}
    fmt = lambda r: "  ".join(str(r[c])[:48].ljust(width[c]) for c in cols).rstrip()  # noqa: E731
    return "\n".join([fmt({c: c for c in cols}), *(fmt(r) for r in rows)])


@app.command("analyze")
@friendly
def analyze(
    what: Annotated[What, typer.Argument(help="balance, central, controversy, or network (export).")],
    fmt: Annotated[str, typer.Option("--format", "-f",
                                     help="table, json or csv; for network: graphml or gexf.")] = "table",
    include: Annotated[str, typer.Option(help="all, or undisputed (drop relations someone denies).")] = "all",
    since: Annotated[str | None, typer.Option(help="Only sources published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Only sources published on or before YYYY-MM-DD.")] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="File for the network export.")] = None,
    data: DataOpt = None,
) -> None:
    """Analytics over the signed actor network.

    Examples:  claimgraph analyze balance   claimgraph analyze controversy --format csv
               claimgraph analyze network --format graphml -o actors.graphml
    """
    if include not in ("all", "undisputed"):
        raise fail("--include must be 'all' or 'undisputed'", 2)
    store = store_for(data, read_only=True)
    window: dict[str, Any] = {"since": since, "until": until}
    if what is What.network:
        if fmt not in analytics.EXPORT_FORMATS or not output:
            raise fail("network needs --format graphml|gexf and -o FILE", 2)
        g = analytics.actor_network(store, include=include, **window)  # type: ignore[arg-type]
        analytics.export_network(g, output, fmt)
        print(f"{output}: {g.number_of_nodes()} actors, {g.number_of_edges()} relations ({fmt})")
        return
    if fmt not in ("table", "json", "csv"):
        raise fail("--format must be table, json or csv", 2)
    if what is What.balance:
        result: Any = analytics.balance(store, include=include, **window)  # type: ignore[arg-type]
    elif what is What.central:
        result = analytics.centrality(store, include=include, **window)  # type: ignore[arg-type]
    else:
        result = analytics.controversy(store, **window)
    try:
        _emit(what, fmt, result)
    except BrokenPipeError:  # `| head` closed the pipe: the reader has what it wanted
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep the interpreter's final flush quiet


def _emit(what: What, fmt: str, result: Any) -> None:
    if fmt == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        rows = _rows(what, result)
        if rows:
            w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    elif what is What.balance:
        print(_balance_text(result))
    else:
        print(_table(_rows(what, result)))
