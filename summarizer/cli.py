"""The command line (typer + rich). The only module that imports typer or rich's console."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from summarizer.articles import load_article, load_cluster, unusable_reason
from summarizer.config import describe_settings, load_settings
from summarizer.errors import ConfigError, InputError, PromptError, SummarizerError, redact
from summarizer.models import ArticleExtraction, ClusterSummary

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Structured, source-grounded summaries of news clusters.")
schema_app = typer.Typer(no_args_is_help=True, help="JSON Schemas of the outputs.")
config_app = typer.Typer(no_args_is_help=True, help="Inspect the resolved configuration.")
app.add_typer(schema_app, name="schema")
app.add_typer(config_app, name="config")

err = Console(stderr=True)


class Format(str, Enum):
    md = "md"
    json = "json"


BaseUrl = Annotated[str | None, typer.Option("--base-url", help="OpenAI-compatible server URL")]
ModelOpt = Annotated[str | None, typer.Option("--model", help="model name on the server")]
ApiKeyEnv = Annotated[str | None, typer.Option("--api-key-env",
                                               help="read the API key from this variable")]
BackendOpt = Annotated[str | None, typer.Option("--backend", help="auto | openai | local | rules")]
ModelPath = Annotated[Path | None, typer.Option("--model-path", help="GGUF file (local backend)")]
ModeOpt = Annotated[str | None, typer.Option(
    "--mode", help="auto | tools | json_schema | json_object_schema | json")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="TOML config file")]
CheckClaimsOpt = Annotated[int | None, typer.Option(
    "--check-claims", min=0, help="entities whose descriptions the model checks for "
    "contradictions (default 6 on an OpenAI-compatible backend, 0 on the embedded model)")]
class SummaryFormat(str, Enum):
    md = "md"
    json = "json"
    html = "html"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="output format")]
SummaryFormatOpt = Annotated[SummaryFormat, typer.Option(
    "--format", "-f", help="md (terminal), json (schemas/cluster_summary.json) or html (a "
                           "self-contained page for editors; use with -o)")]
OutOpt = Annotated[Path | None, typer.Option("--output", "-o", help="write to this file")]


_LABELS = {"error": "bold red", "warning": "yellow"}


def _say(message: str, label: str | None = None) -> None:
    """One line on stderr. Paths, ids and error texts come from the user's files or a server:
    they are printed as plain text, never read as rich markup ("[/x]" stays "[/x]")."""
    message = redact(message)
    text = Text(message) if label is None else Text.assemble((f"{label}:", _LABELS[label]), " ",
                                                             message)
    err.print(text, highlight=False, soft_wrap=True)


def _fail(exc: SummarizerError) -> typer.Exit:
    code = 2 if isinstance(exc, (ConfigError, InputError, PromptError)) else 1
    _say(str(exc), "error")
    return typer.Exit(code)


def _settings(backend, base_url, model, api_key_env, model_path, mode, config,  # type: ignore[no-untyped-def]
              check_claims=None):
    return load_settings(
        {"backend": backend, "base_url": base_url, "model": model, "model_path": model_path,
         "mode": mode, "check_claims": check_claims},
        config_file=config,
        api_key_env=api_key_env,
    )


def _emit(text: str, output: Path | None, markdown: bool) -> None:
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write {output}: {exc.strerror}", output) from None
        _say(f"wrote {output}")
    elif markdown and sys.stdout.isatty():
        Console().print(Markdown(text))
    else:
        sys.stdout.write(text)


@app.command()
def extract(
    article: Annotated[str, typer.Argument(help="article file (.txt/.md/.json) or - for stdin")],
    format: FormatOpt = Format.md,
    output: OutOpt = None,
    backend: BackendOpt = None,
    base_url: BaseUrl = None,
    model: ModelOpt = None,
    api_key_env: ApiKeyEnv = None,
    model_path: ModelPath = None,
    mode: ModeOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Extract grounded quotes, figures and events from one article."""
    from summarizer.extract import extract_article
    from summarizer.render import render_extraction_markdown, render_json

    try:
        settings = _settings(backend, base_url, model, api_key_env, model_path, mode, config)
        if article == "-":
            art = load_cluster("-").articles[0]
        else:
            art = load_article(Path(article))
        result = extract_article(art, settings=settings)
        text = render_json(result) if format == Format.json else render_extraction_markdown(result)
        _emit(text, output, format == Format.md)
    except SummarizerError as exc:
        raise _fail(exc) from None
    if result.error:
        _say(f"article {result.article_id} failed: {result.error}", "error")
        raise typer.Exit(1)


@app.command()
def summarize(
    paths: Annotated[list[str], typer.Argument(help="a cluster directory, cluster JSON, "
                                                    "article files, or - for stdin")],
    format: SummaryFormatOpt = SummaryFormat.md,
    output: OutOpt = None,
    backend: BackendOpt = None,
    base_url: BaseUrl = None,
    model: ModelOpt = None,
    api_key_env: ApiKeyEnv = None,
    model_path: ModelPath = None,
    mode: ModeOpt = None,
    config: ConfigOpt = None,
    check_claims: CheckClaimsOpt = None,
) -> None:
    """Summarise one cluster of articles about the same event. Exit code 0: every article
    summarised; 1: some failed (the summary of the others is written); 2: none summarised, or
    bad input or configuration."""
    from summarizer.pipeline import summarize_cluster
    from summarizer.html import render_html
    from summarizer.render import render_json, render_markdown

    try:
        settings = _settings(backend, base_url, model, api_key_env, model_path, mode, config,
                             check_claims)
        cluster = load_cluster(paths)
        if not cluster.articles:
            raise InputError(unusable_reason(cluster))
        summary = summarize_cluster(cluster, settings=settings)
        if format == SummaryFormat.json:
            text = render_json(summary)
        elif format == SummaryFormat.html:
            text = render_html(summary, cluster)
        else:
            text = render_markdown(summary)
        _emit(text, output, format == SummaryFormat.md)
    except SummarizerError as exc:
        raise _fail(exc) from None
    for failed in summary.failed_articles:
        if failed.duplicate_of is not None:
            _say(f"article {failed.article_id} left out: same text as {failed.duplicate_of}",
                 "warning")
        else:
            _say(f"article {failed.article_id} failed: {failed.error}", "warning")
    if not summary.summarised_ids():
        _say("no article was summarised", "error")
        raise typer.Exit(2)
    if summary.failures():
        raise typer.Exit(1)


@app.command()
def batch(
    input: Annotated[Path, typer.Argument(help="JSONL (one cluster per line) or a folder of "
                                               "cluster folders")],
    output: Annotated[Path, typer.Option("--output", "-o", help="output folder: results.jsonl, "
                                                              "report.json, clusters/")],
    concurrency: Annotated[int | None, typer.Option(
        "--concurrency", "-c", min=1, help="model calls in flight, across all clusters")] = None,
    fail_fast: Annotated[bool, typer.Option(
        "--fail-fast", help="stop at the first cluster that is not fully summarised")] = False,
    retry_failed: Annotated[bool, typer.Option(
        "--retry-failed", help="re-do clusters recorded as error or partial")] = False,
    per_cluster: Annotated[str, typer.Option(
        "--per-cluster", help="also write clusters/<id>.<fmt> for these formats, e.g. json,md,html"
    )] = "",
    cache: Annotated[Path | None, typer.Option(
        "--cache", help="response cache (SQLite); default: the user cache folder")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="do not read or write the cache")
                        ] = False,
    prices: Annotated[Path | None, typer.Option(
        "--prices", help="price table (JSON/TOML: model = [input, output] USD per 1M tokens)")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress output")] = False,
    backend: BackendOpt = None,
    base_url: BaseUrl = None,
    model: ModelOpt = None,
    api_key_env: ApiKeyEnv = None,
    model_path: ModelPath = None,
    mode: ModeOpt = None,
    config: ConfigOpt = None,
    check_claims: CheckClaimsOpt = None,
) -> None:
    """Summarise many clusters: cached, resumable (rerun the same command after a crash),
    fault-tolerant. One batch per output folder at a time (a lock file). Exit code 1 when any
    cluster is not fully summarised; 2 on bad input or configuration, or a folder in use."""
    from summarizer.batch import Batch, load_prices
    from summarizer.progress import batch_progress

    try:
        settings = _settings(backend, base_url, model, api_key_env, model_path, mode, config,
                             check_claims)
        if not input.exists():
            raise InputError(f"{input}: no such file or folder", input)
        run = Batch(
            input, output, settings=settings, concurrency=concurrency, fail_fast=fail_fast,
            retry_failed=retry_failed,
            formats=[f.strip() for f in per_cluster.split(",") if f.strip()],
            cache=False if no_cache else cache,
            prices=load_prices(prices) if prices else None,
            on_warning=lambda message: _say(message, "warning"),
        )
        with batch_progress(run, err, quiet=quiet):
            report = run.run()
    except SummarizerError as exc:
        raise _fail(exc) from None
    if not quiet:
        cost = ("n/a (no price for this model: --prices)" if report.estimated_cost_usd is None
                else f"${report.estimated_cost_usd:.4f}")
        _say(f"{report.ok} ok, {report.partial} partial, {report.failed} failed, "
             f"{report.skipped} already done · {report.calls} calls, {report.cache_hits} "
             f"cache hits, {report.retries} retries · {report.prompt_tokens} + "
             f"{report.completion_tokens} tokens · cost {cost} · "
             f"{report.wall_seconds:.1f} s → {output / 'results.jsonl'}")
    if report.failed or report.partial or report.stopped_early:
        raise typer.Exit(1)


class EvalFormat(str, Enum):
    table = "table"
    md = "md"
    json = "json"


@app.command("eval")
def evaluate(
    clusters: Annotated[list[Path], typer.Argument(help="cluster directories, each with a "
                                                        "gold.json")],
    summary: Annotated[list[Path] | None, typer.Option(
        "--summary", help="score this summary JSON (from `summarize --format json`) instead of "
                          "running the pipeline; repeat for several clusters")] = None,
    format: Annotated[EvalFormat, typer.Option("--format", "-f")] = EvalFormat.table,
    no_timing: Annotated[bool, typer.Option(
        "--no-timing", help="leave out seconds (for output that must not vary between runs)")
    ] = False,
    output: OutOpt = None,
    backend: BackendOpt = None,
    base_url: BaseUrl = None,
    model: ModelOpt = None,
    api_key_env: ApiKeyEnv = None,
    model_path: ModelPath = None,
    mode: ModeOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Score summaries against hand-made gold: quotes, figures, merges, events, conflicts,
    grounding and cost. `--backend rules` gives the no-model baseline."""
    from pydantic import ValidationError

    from summarizer.evaluate import format_table, score_cluster, to_json
    from summarizer.pipeline import summarize_cluster

    try:
        given: dict[str, ClusterSummary] = {}
        for path in summary or []:
            try:
                s = ClusterSummary.model_validate_json(path.read_text(encoding="utf-8"))
            except OSError as exc:
                raise InputError(f"cannot read {path}: {exc.strerror}", path) from None
            except ValidationError as exc:
                raise InputError(f"{path} is not a cluster summary: {exc.error_count()} "
                                 "validation errors", path) from None
            given[s.cluster_id] = s
        settings = None
        scores = []
        for directory in clusters:
            gold_path = directory / "gold.json"
            if not gold_path.is_file():
                raise InputError(f"{directory} has no gold.json", directory)
            try:
                gold = json.loads(gold_path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise InputError(f"cannot read {gold_path}: {exc}", gold_path) from None
            cluster = load_cluster(directory)
            cluster_id = gold.get("cluster_id", cluster.cluster_id)
            if summary:
                if cluster_id not in given:
                    raise InputError(f"no --summary given for cluster {cluster_id}", directory)
                result = given[cluster_id]
            else:
                if settings is None:
                    settings = _settings(backend, base_url, model, api_key_env, model_path,
                                         mode, config)
                result = summarize_cluster(cluster, settings=settings)
            scores.append(score_cluster(result, cluster.articles, gold))
    except SummarizerError as exc:
        raise _fail(exc) from None
    if format == EvalFormat.json:
        text = json.dumps(to_json(scores), indent=2, sort_keys=True) + "\n"
    else:
        text = format_table(scores, timing=not no_timing) + "\n"
    _emit(text, output, format == EvalFormat.table)


def _schemas() -> dict[str, type]:
    from summarizer.batch import BatchRecord

    return {"cluster_summary.json": ClusterSummary, "article_extraction.json": ArticleExtraction,
            "batch_record.json": BatchRecord}


def schema_documents() -> dict[str, str]:
    return {name: json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"
            for name, model in _schemas().items()}


@schema_app.command("export")
def schema_export(
    directory: Annotated[Path, typer.Argument(help="where to write")] = Path("schemas"),
) -> None:
    """Write the JSON Schemas of the outputs (schemas/*.json)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in schema_documents().items():
        (directory / name).write_text(text, encoding="utf-8")
        _say(f"wrote {directory / name}")


@config_app.command("show")
def config_show(
    backend: BackendOpt = None,
    base_url: BaseUrl = None,
    model: ModelOpt = None,
    api_key_env: ApiKeyEnv = None,
    model_path: ModelPath = None,
    mode: ModeOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Print each resolved setting and where it came from (of the key: only whether it is set)."""
    try:
        settings = _settings(backend, base_url, model, api_key_env, model_path, mode, config)
    except SummarizerError as exc:
        raise _fail(exc) from None
    table = Table("setting", "value", "source")
    for row in describe_settings(settings):
        table.add_row(*(Text(cell) for cell in row))
    Console().print(table)
