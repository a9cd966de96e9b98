"""Architecture and hygiene guards."""

import ast
import json
import re

from summarizer.cli import schema_documents
from tests.conftest import ROOT


def test_only_llm_imports_openai_or_instructor():
    offenders = []
    for path in (ROOT / "summarizer").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in {"openai", "instructor"} for n in names):
                if path.name != "llm.py":
                    offenders.append(path.name)
    assert offenders == []


def test_models_and_errors_import_nothing_from_the_package():
    for name in ("models.py", "errors.py"):
        text = (ROOT / "summarizer" / name).read_text(encoding="utf-8")
        assert "from summarizer" not in text and "import summarizer" not in text


def test_exported_schemas_match_models():
    for name, text in schema_documents().items():
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == text, (
            f"schemas/{name} drifted: run `summarizer schema export`"
        )


def test_cassettes_hold_no_secrets():
    pattern = re.compile(r"sk-[A-Za-z0-9]{8,}|Bearer\s+\S+|org-[A-Za-z0-9]{8,}|proj_[A-Za-z0-9]+",
                         re.I)
    cassettes = list((ROOT / "cassettes").rglob("*.yaml"))
    assert cassettes, "no cassettes recorded"
    for path in cassettes:
        text = path.read_text(encoding="utf-8")
        assert not pattern.search(text), path
        assert "authorization" not in text.lower(), path


def test_prompt_templates_are_strict():
    import pytest

    from summarizer.errors import PromptError
    from summarizer.prompts import render

    with pytest.raises(PromptError, match="undefined"):
        render("article.j2")
    json.dumps({})
