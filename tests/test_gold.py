"""Every gold surface string is an exact substring of its article (the gold format's rule)."""

import json
from pathlib import Path

import pytest

from summarizer.articles import load_cluster

DATA = Path(__file__).parent / "data"
GOLD = sorted(p.parent for p in DATA.glob("*/gold.json"))


@pytest.mark.parametrize("folder", GOLD, ids=[p.name for p in GOLD])
def test_gold_is_grounded(folder):
    texts = {a.id: a.text for a in load_cluster(folder).articles}
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    missing = []
    for kind in ("figures", "quotes"):
        for item in gold[kind]:
            for article, forms in item["sources"].items():
                missing += [(item["id"], f) for f in forms if f not in texts[article]]
    for event in gold["events"]:
        assert set(event["sources"]) <= set(texts), event["id"]
        missing += [(event["id"], s) for a, s in event.get("date_as_written", {}).items()
                    if s not in texts[a]]
    for conflict in gold["conflicts"]:
        missing += [(conflict["subject"], s) for a, s in conflict["values"].items()
                    if s not in texts[a]]
    missing += [("not_quote", n["text"]) for n in gold["not_quotes"]
                if n["text"] not in texts[n["article"]]]
    assert not missing
    ids = [x["id"] for k in ("figures", "quotes", "events") for x in gold[k]]
    assert len(ids) == len(set(ids))


def test_there_are_gold_clusters_of_several_kinds():
    assert len(GOLD) >= 4
