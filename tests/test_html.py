"""The editor's HTML page: structure (every report span is a highlight at its offsets), escaping
of hostile articles, and a click in headless Chromium (skipped where Chromium is missing)."""

import html
import os
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.articles import load_cluster
from summarizer.cli import app
from summarizer.config import Settings
from summarizer.html import render_html, segments
from summarizer.models import Article, Cluster, ClusterSummary
from summarizer.pipeline import summarize_cluster
from tests.conftest import DEV

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class PageParser(HTMLParser):
    """Collects each article's text and its marks, every tag seen, and the text outside tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.articles: dict[str, list] = {}  # id -> [text pieces]
        self.marks: dict[str, list[dict]] = {}  # id -> marks with their text
        self.text: list[str] = []
        self._article: str | None = None
        self._mark: dict | None = None
        self._depth = 0
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        if self._article is not None:
            self._depth += 1
            if tag == "mark":
                self._mark = {**a, "text": ""}
        elif tag == "div" and "data-article" in a:
            self._article = a["data-article"]
            self.articles[self._article] = []
            self.marks[self._article] = []
            self._depth = 0

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        if self._article is None:
            return
        if tag == "mark" and self._mark is not None:
            self.marks[self._article].append(self._mark)
            self._mark = None
        if self._depth == 0 and tag == "div":
            self._article = None
        else:
            self._depth -= 1

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
            return
        self.text.append(data)
        if self._article is not None:
            self.articles[self._article].append(data)
            if self._mark is not None:
                self._mark["text"] += data


def parse(page: str) -> PageParser:
    p = PageParser()
    p.feed(page)
    p.close()
    return p


def check_structure(page: str, summary: ClusterSummary, articles: list[Article]) -> PageParser:
    """Every article's text is on the page unchanged; every report of every item is covered,
    exactly and contiguously, by marks naming that item at the report's offsets."""
    p = parse(page)
    texts = {a.id: a.text for a in articles}
    assert set(p.articles) == {a.id for a in summary.articles}
    for aid, pieces in p.articles.items():
        assert "".join(pieces) == texts[aid]
        for m in p.marks[aid]:
            assert texts[aid][int(m["data-start"]):int(m["data-end"])] == m["text"]
    n_reports = 0
    for item in [*summary.figures, *summary.quotes, *summary.events, *summary.claims]:
        for r in item.reports:
            n_reports += 1
            marks = sorted((int(m["data-start"]), int(m["data-end"]))
                           for m in p.marks[r.article_id]
                           if item.id in m["data-items"].split()
                           and r.start <= int(m["data-start"]) < r.end)
            assert marks, (item.id, r)
            assert marks[0][0] == r.start and marks[-1][1] == r.end, (item.id, r, marks)
            assert all(a[1] == b[0] for a, b in zip(marks, marks[1:], strict=False))
    assert n_reports > 0
    facts = {a["data-item"] for t, a in p.tags if t == "button" and "data-item" in a}
    shared = {f.id for f in summary.figures}
    assert shared <= facts and {e.id for e in summary.events} <= facts
    assert {q.id for q in summary.quotes} <= facts
    assert {c.id for c in summary.claims} <= facts
    return p


@pytest.fixture(scope="module")
def dev_summary():
    cluster = load_cluster(DEV)
    return cluster, summarize_cluster(cluster, settings=Settings(backend="rules"))


def test_segments_cut_at_every_boundary():
    text = "0123456789"
    segs = segments(text, [(2, 6, "E1", "event"), (4, 5, "F1", "figure"), (8, 10, "Q1", "quote"),
                           (3, 99, "X", "figure")])  # out of range: ignored
    assert [(s.start, s.end, s.items) for s in segs] == [
        (0, 2, []), (2, 4, ["E1"]), (4, 5, ["E1", "F1"]), (5, 6, ["E1"]), (6, 8, []),
        (8, 10, ["Q1"])]
    assert segs[2].kinds == ["figure", "event"]
    assert "".join(s.text for s in segs) == text


def test_dev_cluster_page_structure(dev_summary):
    cluster, summary = dev_summary
    page = render_html(summary, cluster)
    p = check_structure(page, summary, cluster.articles)
    assert page.startswith("<!DOCTYPE html>")
    # self-contained: no external resource of any kind
    for tag, attrs in p.tags:
        assert "src" not in attrs, (tag, attrs)
        if tag == "link":
            pytest.fail(f"external stylesheet {attrs}")
        if tag == "a":
            assert attrs.get("href", "#").startswith("#"), attrs
    text = " ".join(" ".join(p.text).split())
    for heading in ("Figures reported by more than one outlet", "Timeline", "Quotes by speaker",
                    "Where outlets disagree", "Rejected candidates"):
        assert heading in text
    f2 = next(f for f in summary.figures if f.value.as_written.endswith("745 civilians"))
    assert f2.status.value == "compatible" and "compatible" in text
    # the rejected section is collapsed by default
    assert any(t == "details" and "open" not in a for t, a in p.tags)


HOSTILE = ('The mayor said: “<script>alert(1)</script> was found,” Mayor Jane Roe said on '
           'Thursday. At least 12 people were killed. "><img src=x onerror=alert(2)> '
           "A second report said 12 people were killed in the attack on Friday.")


def test_hostile_article_renders_as_text():
    articles = [
        Article(id="x<script>", source='"><img src=x onerror=alert(3)>', title="<b>t</b>",
                text=HOSTILE),
        Article(id="y", source="Other", text="Officials said 12 people were killed on Friday."),
    ]
    cluster = Cluster(cluster_id="<script>alert(4)</script>", articles=articles)
    summary = summarize_cluster(cluster, settings=Settings(backend="rules"))
    page = render_html(summary, cluster)
    p = check_structure(page, summary, articles)
    assert [t for t, _ in p.tags].count("script") == 1  # ours
    assert not any(t in ("img", "b") for t, _ in p.tags)
    assert "alert" not in p.scripts[0]
    assert all(not k.startswith("on") for _, a in p.tags for k in a)
    assert "<script>alert(1)</script>" in "".join(p.articles["x<script>"])
    assert html.escape("<script>alert(1)</script>") in page


def test_cli_writes_html(tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["summarize", str(DEV), "--backend", "rules",
                                      "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# --------------------------------------------------------------------------- browser

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_click_a_figure_in_headless_chromium(dev_summary, tmp_path):
    """Opens the page, clicks the most reported figure, checks that its spans light up and the
    first one is scrolled into view, on a laptop and a phone; no console errors. Screenshots go
    to $REPORT_SCREENSHOT_DIR when set (kept for the team), else to a temporary folder."""
    sync_api = pytest.importorskip("playwright.sync_api")
    cluster, summary = dev_summary
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(summary, cluster), encoding="utf-8")
    shots = Path(os.environ.get("REPORT_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    figure = max((f for f in summary.figures), key=lambda f: len(f.reports))
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, viewport in (("laptop", {"width": 1280, "height": 800}),
                                   ("phone", {"width": 390, "height": 844})):
                page = browser.new_page(viewport=viewport)
                errors: list[str] = []
                page.on("console", lambda m, e=errors: e.append(m.text)
                        if m.type == "error" else None)
                page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
                page.on("request", lambda r, e=errors: e.append(f"request {r.url}")
                        if not r.url.startswith("file:") else None)
                page.goto(page_file.as_uri())
                assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
                page.screenshot(path=str(shots / f"report-{name}-top.png"))
                button = page.locator(f'button.fact[data-item="{figure.id}"]').first
                button.focus()
                page.keyboard.press("Enter")  # keyboard, not only the mouse
                active = page.locator("mark.active")
                expected = page.locator(f'mark[data-items~="{figure.id}"]').count()
                assert expected >= len(figure.reports)
                assert active.count() == expected
                assert button.get_attribute("aria-pressed") == "true"
                # the first highlight is in view, above the sticky status line
                assert page.evaluate(
                    "() => { const r = document.querySelector('mark.active')"
                    ".getBoundingClientRect(); const s = document.getElementById('status')"
                    ".getBoundingClientRect(); return r.top >= 0 && r.bottom <= s.top; }")
                status = page.locator("#status").inner_text()
                outlets = len({r.article_id for r in figure.reports})
                assert f"{figure.id}: highlighted in {outlets} articles" in status
                page.screenshot(path=str(shots / f"report-{name}-clicked.png"))
                page.keyboard.press("Escape")
                assert page.locator("mark.active").count() == 0
                assert errors == [], errors
                page.close()
        finally:
            browser.close()


@pytest.mark.parametrize(("precision", "label"), [
    ("day", "2025-03-06"), ("month", "2025-03"), ("year", "2025"),
    ("week", "week of 2025-03-06"), ("unknown", "2025-03-06"),
])
def test_event_dates_show_only_the_precision_written_in_markdown_and_html(precision, label):
    """"14 years ago" resolves to a year: neither report may print it as a day ("2011-01-01")."""
    import datetime as dt

    from summarizer.models import Precision, Span, Status, SummaryEvent
    from summarizer.render import render_markdown, when_label

    assert when_label(None, Precision.DAY) == "undated"
    text = "The conflict began 14 years ago."
    article = Article(id="a1", text=text)
    from summarizer.reconcile import reconcile

    event = SummaryEvent(
        id="E1", description=text, date=dt.date(2025, 3, 6), date_precision=Precision(precision),
        when_as_written={"a1": "14 years ago"}, location=None, actors=[],
        status=Status.SINGLE_SOURCE,
        reports=[Span(article_id="a1", start=0, end=len(text), text=text)])
    summary = reconcile("c", [article], []).model_copy(update={"events": [event]})
    assert f"- **{label}** — {text}" in render_markdown(summary)
    assert f'<span class="when">{label}</span>' in render_html(summary, [article])
