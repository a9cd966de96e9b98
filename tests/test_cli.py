import json

import jsonschema
import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from tests.conftest import DEV, ROOT

runner = CliRunner()


def test_summarize_markdown_rules_backend():
    result = runner.invoke(app, ["summarize", str(DEV), "--backend", "rules"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for heading in ("## Figures", "## Timeline", "## Quotes", "## Where outlets disagree",
                    "## Single-source items", "## Sources"):
        assert heading in out
    assert "745 civilians" in out and "compatible" in out


def test_summarize_json_validates_against_schema(tmp_path):
    out = tmp_path / "s.json"
    result = runner.invoke(app, ["summarize", str(DEV), "--backend", "rules", "-f", "json",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    schema = json.loads((ROOT / "schemas" / "cluster_summary.json").read_text())
    jsonschema.validate(json.loads(out.read_text()), schema)


def test_extract_json(tmp_path):
    result = runner.invoke(app, ["extract", str(DEV / "004_129b17b79ff333a7.json"),
                                 "--backend", "rules", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["article_id"] == "004_129b17b79ff333a7" and data["figures"]


def test_bad_inputs_exit_2_with_one_line(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x00\x00")
    (tmp_path / "bad.json").write_text("{oops")
    (tmp_path / "empty").mkdir()
    for args in (["extract", str(tmp_path / "missing.txt")],
                 ["extract", str(tmp_path / "bin.txt")],
                 ["extract", str(tmp_path / "bad.json")],
                 ["summarize", str(tmp_path / "empty")]):
        result = runner.invoke(app, [*args, "--backend", "rules"])
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
        assert result.stderr.strip().count("\n") == 0 and result.stderr.startswith("error:")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_unreachable_server_is_a_failed_article_not_a_traceback():
    result = runner.invoke(app, ["extract", str(DEV / "004_129b17b79ff333a7.json"),
                                 "--base-url", "http://127.0.0.1:9/v1"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "failed" in result.stderr
    import gc

    gc.collect()


def test_config_show_masks_key_and_says_why(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-1234567890abcd")
    result = runner.invoke(app, ["config", "show"])
    assert result.exit_code == 0
    assert "sk-test-1234567890abcd" not in result.stdout
    assert "abcd" not in result.stdout and "****" not in result.stdout  # not even its tail
    assert "set" in result.stdout and "env OPENAI_API_KEY" in result.stdout
    assert "openai" in result.stdout


def test_config_precedence(tmp_path, monkeypatch):
    from summarizer.config import load_settings

    cfg = tmp_path / "summarizer.toml"
    cfg.write_text('model = "from-file"\nbase_url = "http://file/v1"\n')
    monkeypatch.setenv("SUMMARIZER_MODEL", "from-env")
    s = load_settings({"model": None}, config_file=cfg)
    assert s.model == "from-env" and s.base_url == "http://file/v1"
    assert s.sources["model"] == "env SUMMARIZER_MODEL"
    s = load_settings({"model": "from-flag"}, config_file=cfg)
    assert s.model == "from-flag" and s.resolved_backend()[0] == "openai"
