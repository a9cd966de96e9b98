"""The whole pipeline on the development cluster, through the CLI, replaying answers the
embedded model gave when served by llama.cpp on loopback (see README: re-recording).

Network is blocked: a request that is not in the cassette fails the test instead of leaving
the machine.
"""

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.articles import load_cluster
from summarizer.cli import app
from summarizer.models import ArticleExtraction, ClusterSummary
from tests.conftest import makes_a_call

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "syria-coast-2025-03"


def _backend_flags():
    return [
        "--backend", "openai",
        "--base-url", os.environ.get("SUMMARIZER_RECORD_BASE_URL", "http://127.0.0.1:8765/v1"),
        "--model", os.environ.get("SUMMARIZER_RECORD_MODEL", "qwen2.5-coder-1.5b"),
        "--mode", os.environ.get("SUMMARIZER_RECORD_MODE", "json_object_schema"),
    ]


def _run(args):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.vcr
@pytest.mark.cassette
def test_extract_every_dev_article():
    cluster = load_cluster(DEV)
    for article in cluster.articles:
        path = next(DEV.glob(f"{article.id}.*"))
        out = ArticleExtraction.model_validate_json(
            _run(["extract", str(path), "--format", "json", *_backend_flags()]))
        assert out.error is None
        if makes_a_call(article):
            assert out.usage.calls == 1 and out.usage.completion_tokens > 0
        else:
            assert out.usage.calls == 0 and out.usage.prompt_tokens == 0
        for item in [*out.quotes, *out.figures]:
            assert article.text[item.span.start:item.span.end] == item.span.text
        for event in out.events:
            for span in event.spans:
                assert article.text[span.start:span.end] == span.text


@pytest.mark.vcr
@pytest.mark.cassette
def test_summarize_dev_cluster_json_and_markdown():
    cluster = load_cluster(DEV)
    texts = {a.id: a.text for a in cluster.articles}
    summary = ClusterSummary.model_validate_json(
        _run(["summarize", str(DEV), "--format", "json", *_backend_flags()]))
    assert summary.failed_articles == []
    # one call per article the model has something to answer in, then one entity check per
    # actor profile (6 by default on a server)
    from summarizer.claims import entity_profiles

    checked = min(6, len(entity_profiles(cluster.articles)))
    calling = sum(makes_a_call(a) for a in cluster.articles)
    assert 0 < calling < len(cluster.articles)
    assert summary.usage.calls == calling + checked
    assert sum(c.checked_by is not None for c in summary.claims) == checked
    for item in [*summary.figures, *summary.quotes, *summary.events, *summary.claims]:
        for r in item.reports:
            assert texts[r.article_id][r.start:r.end] == r.text
    # the SOHR civilian toll is one figure reported by every outlet
    civilians = [f for f in summary.figures
                 if any(r.text.endswith("civilians") and "745" in r.text for r in f.reports)]
    assert len(civilians) == 1 and len({r.article_id for r in civilians[0].reports}) >= 4
    # Ali Sheha's words are one quote with variants from several outlets
    sheha = [q for q in summary.quotes if "Bodies were on the streets" in q.text]
    assert len(sheha) == 1 and sheha[0].speaker == "Ali Sheha"
    assert len({r.article_id for r in sheha[0].reports}) >= 2
    # the editor's page of this summary: every report highlighted at its offsets
    from summarizer.html import render_html
    from tests.test_html import check_structure

    check_structure(render_html(summary, cluster), summary, cluster.articles)


def _readme_block(name):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"<!-- eval:{name} -->\n```\n(.*?)```\n<!-- /eval:{name} -->", text, re.S)
    return m.group(1) if m else None


@pytest.mark.vcr
@pytest.mark.cassette
def test_readme_quality_figures_are_what_eval_prints():
    """The README's tables are the output of `summarizer eval` (timing row left out: it is
    measured live, not replayed); regenerate them with the commands shown there."""
    model = _run(["eval", str(DEV), "--no-timing", *_backend_flags()])
    rules = _run(["eval", str(DEV), "--no-timing", "--backend", "rules"])
    assert model == _readme_block("model"), f"README eval:model block should be:\n{model}"
    assert rules == _readme_block("rules"), f"README eval:rules block should be:\n{rules}"
    scores = json.loads(_run(["eval", str(DEV), "--format", "json", "--backend", "rules"]))
    assert scores["overall"]["grounding"] == 1.0


def test_readme_basil_table_is_what_eval_prints():
    """The README's table on the BASIL gold clusters (rules backend, no model: no cassette)."""
    folders = [DEV, *sorted((ROOT / "tests" / "data").glob("basil-*"))]
    table = _run(["eval", *map(str, folders), "--no-timing", "--backend", "rules"])
    assert table == _readme_block("basil"), f"README eval:basil block should be:\n{table}"
