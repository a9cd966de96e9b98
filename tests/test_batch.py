"""Batch runs against the loopback fake server: faults, SIGKILL and resume, the cache, reports."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from summarizer.articles import load_cluster
from summarizer.batch import Batch, BatchRecord, ResultsFile, run_batch
from summarizer.cache import ResponseCache, cached
from summarizer.cli import app
from summarizer.config import Settings
from summarizer.llm import OpenAIClient
from summarizer.models import Usage
from summarizer.progress import batch_progress
from tests.conftest import DEV, ROOT
from tests.fakeserver import FAULT_KINDS, FakeServer, instance

N_CLUSTERS = 50

# the fake server is on loopback; everything else stays blocked
pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


@pytest.fixture(scope="module")
def batch_input(tmp_path_factory):
    """50 three-article clusters made from the development articles, each article made unique
    (a short cut of a dev article plus a sentence of its own), so every call is a new request."""
    arts = [a.model_dump(mode="json") for a in load_cluster(DEV).articles]
    path = tmp_path_factory.mktemp("batch") / "clusters.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in range(N_CLUSTERS):
            chosen = [arts[(i + k) % len(arts)] for k in range(3)]
            articles = [{"id": f"{a['id'][:3]}-{i}", "source": f"outlet {k}",
                         "published": "2025-03-08",
                         # the tents are a number only the model can label, so every
                         # article holds something for it and makes one call
                         "text": a["text"][:900] + f"\nIn village {i}, {i + 3} people were "
                                                   "killed on Friday, officials said. Aid "
                                                   f"workers handed out {i + 20} tents."}
                        for k, a in enumerate(chosen)]
            f.write(json.dumps({"cluster_id": f"c{i:03d}", "articles": articles}) + "\n")
    return path


def _expected_calls(path: Path) -> int:
    """One call per article plus one per entity profile checked (at most 6 per cluster)."""
    from summarizer.claims import entity_profiles
    from summarizer.models import Cluster

    total = 0
    for line in path.read_text().splitlines():
        cluster = Cluster.model_validate_json(line)
        total += len(cluster.articles) + min(6, len(entity_profiles(cluster.articles)))
    return total


def _settings(server, **kw):
    return Settings(backend="openai", base_url=server.base_url, model="fake",
                    mode="json_object_schema", **kw)


def _lines(outdir: Path) -> list[dict]:
    return [json.loads(line) for line in (outdir / "results.jsonl").read_text().splitlines()]


def _content(records: list[dict]) -> dict[str, dict]:
    """cluster_id -> the summary without usage (calls, cache hits and seconds differ by run)."""
    out = {}
    for r in records:
        summary = dict(r["summary"] or {})
        summary.pop("usage", None)
        out[r["cluster_id"]] = {"status": r["status"], "summary": summary}
    return out


def test_fake_server_answers_any_candidate_list():
    schema = {"type": "object", "required": ["quotes", "events"], "properties": {
        "quotes": {"type": "array", "minItems": 2, "maxItems": 2,
                   "items": {"$ref": "#/$defs/Q"}},
        "events": {"type": "array", "maxItems": 1, "items": {"enum": ["S1", "S2"]}}},
        "$defs": {"Q": {"type": "object", "properties": {
            "id": {"enum": ["Q3", "Q7"]}, "direct": {"type": "boolean"},
            "speaker": {"enum": ["Ali Sheha", None]}}}}}
    assert instance(schema) == {
        "quotes": [{"id": "Q3", "direct": True, "speaker": "Ali Sheha"},
                   {"id": "Q7", "direct": True, "speaker": "Ali Sheha"}],
        "events": ["S1"]}


def test_twenty_percent_faults_lose_nothing(batch_input, tmp_path):
    with FakeServer(faults=0.2, hang=1.0, seed=7) as server:
        settings = _settings(server, timeout=0.3, transport_retries=8)
        client = OpenAIClient(settings, initial_wait=0.01)
        seen: list[str] = []
        report = run_batch(batch_input, tmp_path / "out", settings=settings, client=client,
                           concurrency=16, cache=tmp_path / "cache.sqlite",
                           on_result=lambda r: seen.append(r.cluster_id))
        injected = dict(server.injected)
        requests = server.requests
    assert set(injected) == set(FAULT_KINDS), injected  # every kind of fault happened
    assert sum(injected.values()) >= 20
    records = _lines(tmp_path / "out")
    ids = [r["cluster_id"] for r in records]
    assert sorted(ids) == [f"c{i:03d}" for i in range(N_CLUSTERS)]  # none lost, none twice
    assert sorted(seen) == sorted(ids)
    assert all(r["status"] == "ok" for r in records), [r["error"] for r in records]
    assert report.ok == N_CLUSTERS and report.failed == 0
    # identical entity checks across clusters are answered from the cache
    assert report.calls + report.cache_hits == _expected_calls(batch_input)
    # every request after a call's first is counted: transport retries and re-asks alike (a
    # retry on a pooled connection the server had closed never reaches it, hence >=)
    assert report.retries >= requests - report.calls >= sum(injected.values())
    on_disk = json.loads((tmp_path / "out" / "report.json").read_text())
    assert on_disk["ok"] == N_CLUSTERS and on_disk["retries"] == report.retries
    for r in records:
        BatchRecord.model_validate(r)


def test_rerun_with_the_cache_makes_no_call(batch_input, tmp_path):
    cache = tmp_path / "cache.sqlite"
    with FakeServer() as server:
        settings = _settings(server)
        first = run_batch(batch_input, tmp_path / "a", settings=settings, cache=cache,
                          concurrency=8)
        requests = server.requests
        again = run_batch(batch_input, tmp_path / "b", settings=settings, cache=cache,
                          concurrency=8)
        assert server.requests == requests  # the server saw nothing new
    assert first.calls + first.cache_hits == _expected_calls(batch_input)
    assert first.calls >= 3 * N_CLUSTERS  # every article is new
    assert again.calls == 0 and again.cache_hits == _expected_calls(batch_input)
    assert _content(_lines(tmp_path / "a")) == _content(_lines(tmp_path / "b"))
    # the same output folder again: everything is already done
    resumed = run_batch(batch_input, tmp_path / "a", settings=_settings(server), cache=cache)
    assert resumed.skipped == N_CLUSTERS and resumed.clusters == 0
    assert len(_lines(tmp_path / "a")) == N_CLUSTERS


def _batch_cmd(batch_input, out, server, cache):
    return [sys.executable, "-m", "summarizer", "batch", str(batch_input), "-o", str(out),
            "--backend", "openai", "--base-url", server.base_url, "--model", "fake",
            "--mode", "json_object_schema", "--cache", str(cache), "-c", "2", "--quiet"]


def test_sigkill_mid_batch_then_rerun_gives_the_same_results(batch_input, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_"))}
    with FakeServer(latency=0.05) as server:
        reference = tmp_path / "reference"
        run_batch(batch_input, reference, settings=_settings(server), cache=False,
                  concurrency=4)
        out = tmp_path / "killed"
        proc = subprocess.Popen(_batch_cmd(batch_input, out, server, tmp_path / "c.sqlite"),
                                cwd=ROOT, env=env)
        results = out / "results.jsonl"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if results.exists() and results.read_text().count("\n") >= 8:
                break
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        done_before = results.read_text().count("\n")
        assert 8 <= done_before < N_CLUSTERS, "the kill came too late to test anything"
        # a crash can also tear the last line: simulate one
        with results.open("a") as f:
            f.write('{"cluster_id": "c0')
        rerun = subprocess.run(_batch_cmd(batch_input, out, server, tmp_path / "c.sqlite"),
                               cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
    records = _lines(out)
    ids = [r["cluster_id"] for r in records]
    assert len(ids) == len(set(ids)) == N_CLUSTERS
    assert _content(records) == _content(_lines(reference))
    report = json.loads((out / "report.json").read_text())
    assert report["skipped"] == done_before and report["clusters"] == N_CLUSTERS - done_before


def test_bad_input_lines_are_error_records_and_the_batch_goes_on(batch_input, tmp_path):
    mixed = tmp_path / "mixed.jsonl"
    good = batch_input.read_text().splitlines()[:2]
    mixed.write_text("\n".join([good[0], "{not json", '{"cluster_id": "empty", "articles": []}',
                                good[1], good[0]]) + "\n")
    report = run_batch(mixed, tmp_path / "out", settings=Settings(backend="rules"))
    records = {r["cluster_id"]: r for r in _lines(tmp_path / "out")}
    assert records["c000"]["status"] == records["c001"]["status"] == "ok"
    assert records["mixed-2"]["status"] == "error" and "line 2" in records["mixed-2"]["error"]
    assert records["empty"]["status"] == "error"
    assert report.duplicates == 1 and report.failed == 2 and report.ok == 2


def test_fail_fast_stops_at_the_first_failure(batch_input, tmp_path):
    with FakeServer(faults=1.0, fault_kinds=("500",)) as server:
        settings = _settings(server, transport_retries=0)
        report = run_batch(batch_input, tmp_path / "out", settings=settings, cache=False,
                           concurrency=2, fail_fast=True)
    assert report.stopped_early and report.failed >= 1
    assert report.clusters < N_CLUSTERS
    first = _lines(tmp_path / "out")[0]
    assert first["status"] == "error" and "HTTP 500" in first["error"]


def test_without_fail_fast_failures_are_records_and_cli_exits_1(batch_input, tmp_path):
    with FakeServer(faults=1.0, fault_kinds=("500",)) as server:
        result = CliRunner().invoke(app, [
            "batch", str(batch_input), "-o", str(tmp_path / "out"), "--backend", "openai",
            "--base-url", server.base_url, "--model", "fake", "--no-cache", "--quiet",
            "--config", str(_config(tmp_path))])
    assert result.exit_code == 1, result.output
    records = _lines(tmp_path / "out")
    assert len(records) == N_CLUSTERS and {r["status"] for r in records} == {"error"}


def _config(tmp_path):
    path = tmp_path / "summarizer.toml"
    path.write_text("transport_retries = 0\n")
    return path


def test_retry_failed_redoes_only_failed_clusters(batch_input, tmp_path):
    with FakeServer(faults=1.0, fault_kinds=("500",)) as broken:
        run_batch(batch_input, tmp_path / "out", settings=_settings(broken, transport_retries=0),
                  cache=False, concurrency=4)
    with FakeServer() as server:
        report = run_batch(batch_input, tmp_path / "out", settings=_settings(server),
                           cache=False, concurrency=4, retry_failed=True)
    records = _lines(tmp_path / "out")
    assert len(records) == N_CLUSTERS and {r["status"] for r in records} == {"ok"}
    assert report.ok == N_CLUSTERS


def test_torn_tail_is_cut_and_complete_lines_kept(tmp_path):
    path = tmp_path / "results.jsonl"
    ok = BatchRecord(cluster_id="a", status="error", error="x").model_dump_json()
    path.write_text(ok + "\n" + '{"cluster_id": "b", "sta')
    assert ResultsFile(path).done() == {"a": "error"}
    assert path.read_text() == ok + "\n"


def test_price_table_gives_the_cost(batch_input, tmp_path):
    with FakeServer() as server:
        report = run_batch(batch_input, tmp_path / "out", settings=_settings(server),
                           cache=False, concurrency=8, prices={"fake": (1.0, 2.0)})
    expected = (report.prompt_tokens * 1.0 + report.completion_tokens * 2.0) / 1e6
    assert report.estimated_cost_usd == pytest.approx(expected)
    assert report.prompt_tokens > 0
    unknown = run_batch(batch_input, tmp_path / "out2", settings=Settings(backend="rules"))
    assert unknown.estimated_cost_usd == 0.0  # no model, no cost


class _Flaky:
    backend, model = "openai", "flaky"

    def __init__(self):
        self.calls = 0

    def complete(self, messages, response_model, schema):
        self.calls += 1
        if self.calls == 1:
            from summarizer.errors import LLMError

            raise LLMError("boom")
        return response_model.model_validate(instance(schema)), Usage(calls=1)


def test_failures_are_never_cached(tmp_path):
    from summarizer.errors import LLMError
    from summarizer.models import ModelAnswer

    cache = ResponseCache(tmp_path / "c.sqlite")
    client = cached(_Flaky(), cache, Settings(backend="openai", base_url="http://x"))
    schema = ModelAnswer.model_json_schema()
    messages = [{"role": "user", "content": "hi"}]
    with pytest.raises(LLMError):
        client.complete(messages, ModelAnswer, schema)
    assert len(cache) == 0
    _, usage = client.complete(messages, ModelAnswer, schema)
    assert usage.calls == 1 and len(cache) == 1
    _, usage = client.complete(messages, ModelAnswer, schema)
    assert usage.calls == 0 and usage.cache_hits == 1


def _writer(path, start):  # runs in another process
    from summarizer.cache import ResponseCache as Cache
    from summarizer.models import Usage as U

    cache = Cache(path)
    for i in range(start, start + 200):
        cache.put(f"k{i}", json.dumps({"i": i}), U(calls=1))


def test_cache_is_safe_under_concurrent_writers(tmp_path):
    import multiprocessing

    path = tmp_path / "c.sqlite"
    ResponseCache(path).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, k * 200)) for k in range(2)]
    for p in procs:
        p.start()
    threads = [threading.Thread(target=_writer, args=(path, 400 + k * 200)) for k in range(3)]
    for t in threads:
        t.start()
    for p in procs:
        p.join(60)
    for t in threads:
        t.join(60)
    assert all(p.exitcode == 0 for p in procs)
    cache = ResponseCache(path)
    assert len(cache) == 1000
    assert cache.get("k999") == ('{"i": 999}', 0, 0)


def test_plain_progress_lines_when_not_a_terminal(batch_input, tmp_path):
    console = Console(file=__import__("io").StringIO(), force_terminal=False, width=200)
    run = Batch(batch_input, tmp_path / "out", settings=Settings(backend="rules"))
    with batch_progress(run, console, plain_every=0):
        run.run()
    lines = console.file.getvalue().splitlines()
    assert len(lines) == N_CLUSTERS
    assert lines[-1].startswith(f"{N_CLUSTERS}/{N_CLUSTERS} clusters · {N_CLUSTERS} ok")
