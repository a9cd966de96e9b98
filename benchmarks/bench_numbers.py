"""Number candidates against number test sets with exhaustive gold, as a table.

    python benchmarks/bench_numbers.py DIR [--errors N] [--json]

DIR holds JSON files ``{"cases": [{"text", "gold": [{"value", ...}]}], "gold_is_exhaustive"}``
(the shared ``numbers/`` folder: ages, dimensions, temperatures, quantulum3's tests). Each
case's text becomes one article; its number candidates (``find_candidates``) are read to values
with ``normalize.parse_number`` and matched one-to-one to the gold values:

- a single value matches a gold value equal to it (relative tolerance 1e-6);
- a range ("8 to 10", "between 44 and 50") matches a gold range with the same ends, or a gold
  single value equal to either end or to the midpoint (quantulum3 writes ranges as midpoints);
- vague words ("dozens", "hundreds") are ranges too.

Only values are scored: units and what is counted are not (the sets disagree on them). Gold
conventions differ between the sets (quantulum3 counts "Voyager 2" and years; the product does
not, on purpose), so read the errors before tuning to a set. Not a unit test: it reads the
folder you give it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from summarizer.articles import make_article
from summarizer.candidates import find_candidates
from summarizer.normalize import parse_number


def _gold_value(raw: str) -> tuple[float, float] | None:
    raw = str(raw).strip()
    m = None
    if raw.count("-") == 1 and not raw.startswith("-"):
        m = raw.split("-")
    elif raw.count("-") == 2 and raw.startswith("-"):  # "-18--34" does not occur; "-5-0" might
        head, _, tail = raw[1:].partition("-")
        m = ["-" + head, tail]
    try:
        if m:
            return float(m[0]), float(m[1])
        v = float(raw)
        return v, v
    except ValueError:
        return None


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def matches(found: tuple[float, float], gold: tuple[float, float]) -> bool:
    lo, hi = found
    glo, ghi = gold
    if _close(lo, glo) and _close(hi, ghi):
        return True
    if _close(glo, ghi) and lo != hi:  # a range against a single gold value
        return any(_close(glo, x) for x in (lo, hi, (lo + hi) / 2))
    return False


def case_values(text: str) -> list[tuple[float, float, str]]:
    article = make_article("case", text)
    out = []
    for n in find_candidates(article).numbers:
        written = text[n.number_start : n.number_end]
        parsed = parse_number(written)
        if parsed is not None:
            out.append((parsed[0], parsed[1], text[n.start : n.end]))
    return out


def score_file(path: Path, errors: list[str]) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    tp = found_n = gold_n = 0
    for case in data["cases"]:
        text = case["text"]
        gold = [g for g in (_gold_value(x["value"]) for x in case["gold"]) if g is not None]
        try:
            found = case_values(text) if text.strip() else []
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
            errors.append(f"{path.name}: ERROR {type(exc).__name__}: {exc} | {text[:120]}")
            found = []
        unmatched = list(gold)
        extra = []
        for lo, hi, written in found:
            hit = next((g for g in unmatched if matches((lo, hi), g)), None)
            if hit is None:
                extra.append(f"{written!r}={lo:g}" + (f"..{hi:g}" if hi != lo else ""))
            else:
                unmatched.remove(hit)
        tp += len(found) - len(extra)
        found_n += len(found)
        gold_n += len(gold)
        if extra or unmatched:
            missed = ", ".join(f"{g[0]:g}" + (f"..{g[1]:g}" if g[1] != g[0] else "")
                               for g in unmatched)
            errors.append(f"{path.name}: {text[:150]!r}\n    extra: {', '.join(extra) or '-'}"
                          f"\n    missed: {missed or '-'}")
    p = tp / found_n if found_n else 0.0
    r = tp / gold_n if gold_n else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"set": path.stem, "cases": len(data["cases"]), "gold": gold_n, "found": found_n,
            "matched": tp, "precision": p, "recall": r, "f1": f1}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--errors", type=int, default=0, help="print the first N cases with errors")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    files = sorted(args.dir.glob("*.json"))
    if not files:
        print(f"no *.json number sets in {args.dir}", file=sys.stderr)
        return 2
    errors: list[str] = []
    rows = [score_file(f, errors) for f in files]
    tp = sum(r["matched"] for r in rows)
    found = sum(r["found"] for r in rows)
    gold = sum(r["gold"] for r in rows)
    p, r = (tp / found if found else 0.0), (tp / gold if gold else 0.0)
    rows.append({"set": "all", "cases": sum(x["cases"] for x in rows), "gold": gold,
                 "found": found, "matched": tp, "precision": p, "recall": r,
                 "f1": 2 * p * r / (p + r) if p + r else 0.0})
    if args.json:
        print(json.dumps(rows, indent=1))
    else:
        print(f"| set | cases | gold | found | matched | P | R | F1 |\n|---|---|---|---|---|---|---|---|")
        for x in rows:
            print(f"| {x['set']} | {x['cases']} | {x['gold']} | {x['found']} | {x['matched']} "
                  f"| {x['precision']:.3f} | {x['recall']:.3f} | {x['f1']:.3f} |")
    for line in errors[: args.errors]:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
