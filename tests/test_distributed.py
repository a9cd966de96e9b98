"""The batch engine inside a Dask bag (processes), at small size, against the fake server."""

import json

import pytest

from summarizer.batch import run_batch
from summarizer.config import Settings
from tests.fakeserver import FakeServer

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


def test_dask_bag_gives_the_batch_results(tmp_path):
    db = pytest.importorskip("dask.bag")
    import dask

    from summarizer.distributed import summarize_bag

    lines = []
    for i in range(8):
        lines.append({"cluster_id": f"d{i}", "articles": [
            # the blankets are a number only the model labels: each article makes one call
            {"id": f"a{i}", "text": f"At least {i + 10} people were killed on Friday in Homs, "
                                    f"officials said. Volunteers handed out {i + 40} blankets."},
            {"id": f"b{i}", "text": f"“We found {i + 10} bodies,” said Rami Abdurrahman, head "
                                    f"of the observatory. Volunteers handed out {i + 40} "
                                    "blankets."}]})
    lines.append({"cluster_id": "broken", "articles": "not a list"})
    with FakeServer() as server:
        settings = Settings(backend="openai", base_url=server.base_url, model="fake",
                            mode="json_object_schema")
        bag = db.from_sequence(lines, npartitions=3)
        with dask.config.set(scheduler="processes", num_workers=2):
            records = summarize_bag(bag, settings, cache_path=tmp_path / "c.sqlite").compute()
        src = tmp_path / "in.jsonl"
        src.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
        run_batch(src, tmp_path / "out", settings=settings, cache=False)
    expected = {}
    for line in (tmp_path / "out" / "results.jsonl").read_text().splitlines():
        r = json.loads(line)
        expected[r["cluster_id"]] = r
    got = {r["cluster_id"]: r for r in records}
    assert set(got) == set(expected) == {*(f"d{i}" for i in range(8)), "broken"}
    assert got["broken"]["status"] == "error"
    for cid, r in got.items():
        assert r["status"] == expected[cid]["status"]
        if r["summary"] is not None:
            a, b = dict(r["summary"]), dict(expected[cid]["summary"])
            a.pop("usage"), b.pop("usage")
            assert a == b
            assert r["summary"]["usage"]["calls"] == 2
