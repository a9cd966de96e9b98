"""Entity descriptions across outlets and the model's contradiction check (fake client)."""

from summarizer.config import Settings
from summarizer.errors import LLMError
from summarizer.models import Cluster, Status, Usage
from summarizer.pipeline import summarize_cluster
from tests.fakeserver import instance


class RoutingClient:
    """Extraction requests get a valid schema-made answer; entity checks get scripted pairs."""

    backend = "fake"
    model = "judge-model"

    def __init__(self, verdicts):
        self.verdicts = verdicts  # entity -> list of (first, second) | Exception
        self.asked = []
        self.extractions = 0  # extraction calls (an article code decides entirely makes none)

    def complete(self, messages, response_model, schema):
        user = messages[-1]["content"]
        if "contradictions" not in schema.get("properties", {}):
            self.extractions += 1
            return response_model.model_validate(instance(schema)), Usage(calls=1)
        entity = user.split("Statements that mention ", 1)[1].split(":", 1)[0].split(" (")[0]
        self.asked.append(entity)
        verdict = self.verdicts.get(entity, [])
        if isinstance(verdict, Exception):
            raise verdict
        answer = {"contradictions": [{"first": a, "second": b} for a, b in verdict]}
        return response_model.model_validate(answer), Usage(calls=1, prompt_tokens=7)


def _run(dev_cluster, verdicts, articles=None, limit=6):
    client = RoutingClient(verdicts)
    cluster = Cluster(cluster_id=dev_cluster.cluster_id,
                      articles=articles or dev_cluster.articles)
    summary = summarize_cluster(cluster, settings=Settings(check_claims=limit), client=client)
    return summary, client


def test_a_named_pair_becomes_a_contradiction_with_both_sentences(dev_cluster):
    # HTS statements: A, B from 000; C from 001 (see the profile's order). A-B is one outlet.
    summary, client = _run(dev_cluster, {"Hayat Tahrir al-Sham": [("B", "C"), ("A", "B")]})
    hts = next(c for c in summary.claims if c.entity == "Hayat Tahrir al-Sham")
    assert hts.status == Status.CONTRADICTION
    assert hts.checked_by == "judge-model"
    conflict = next(c for c in summary.conflicts if c.item_id == hts.id)
    assert sorted(conflict.values) == ["000_2d722284682ca7da", "001_747cbcc47687015b"]
    assert conflict.values["000_2d722284682ca7da"].startswith("HTS, aligned with the new")
    assert "verify before publishing" in conflict.explanation
    others = [c for c in summary.claims if c.entity in client.asked and c is not hts]
    assert others and all(c.status == Status.COMPATIBLE for c in others)
    assert client.extractions >= 1
    assert summary.usage.calls == client.extractions + len(client.asked)


def test_a_failed_check_is_unchecked_and_costs_nothing_else(dev_cluster):
    summary, client = _run(dev_cluster, {"Haidar Nasser": LLMError("server down"),
                                         "Hayat Tahrir al-Sham": [("B", "C")]})
    nasser = next(c for c in summary.claims if c.entity == "Haidar Nasser")
    assert nasser.status == Status.UNCHECKED
    assert next(c for c in summary.claims
                if c.entity == "Hayat Tahrir al-Sham").status == Status.CONTRADICTION
    assert not summary.failed_articles


def test_only_the_first_n_profiles_are_checked(dev_cluster):
    summary, client = _run(dev_cluster, {}, limit=2)
    assert len(client.asked) == 2
    statuses = [c.status for c in summary.claims]
    assert statuses[:2] == [Status.COMPATIBLE, Status.COMPATIBLE]
    assert set(statuses[2:]) == {Status.UNCHECKED}


def test_article_order_does_not_change_the_question_or_the_answer(dev_cluster):
    verdicts = {"Hayat Tahrir al-Sham": [("B", "C")]}
    first, a = _run(dev_cluster, verdicts)
    second, b = _run(dev_cluster, verdicts, articles=list(reversed(dev_cluster.articles)))
    assert a.asked == b.asked
    assert first.model_dump_json() == second.model_dump_json()


def test_rules_backend_asks_nothing(dev_cluster):
    summary = summarize_cluster(dev_cluster, settings=Settings(backend="rules"))
    assert summary.claims
    assert {c.status for c in summary.claims} == {Status.UNCHECKED}
    assert summary.usage.calls == 0


def test_default_checks_on_openai_backends_only():
    assert Settings(backend="openai", base_url="http://x/v1").resolved_check_claims() == 6
    assert Settings(backend="local").resolved_check_claims() == 0
    assert Settings(backend="local", check_claims=3).resolved_check_claims() == 3
