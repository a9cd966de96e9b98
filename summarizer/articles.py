"""Load articles and clusters (txt/md/json/jsonl/dir/stdin) and mark boilerplate.

Boilerplate is recorded as excluded ``[start, end)`` ranges on the article; the text itself is never
rewritten, so every offset anywhere indexes ``Article.text`` exactly as loaded.
"""

from __future__ import annotations

import bisect
import codecs
import datetime as dt
import hashlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summarizer.errors import InputError
from summarizer.models import Article, Cluster, FailedArticle, merge_ranges

ARTICLE_SUFFIXES = {".txt", ".md", ".json"}
# Files that sit beside articles in a cluster directory but are not articles.
NOT_ARTICLES = {"gold.json", "readme.md", "readme.txt", "summary.json", "cluster.json"}

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_HEADER_DATE = re.compile(r"(?im)^\s*(?:date|published|posted|updated)\s*:?\s*(\d{4}-\d{2}-\d{2})\b")
_DATELINE = re.compile(rf"\b(\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}})(?:\s+\d{{1,2}}:\d{{2}})?")
_DATELINE_US = re.compile(rf"\b((?:{_MONTHS})\s+\d{{1,2}},\s+\d{{4}})")

# Whole lines that are site furniture.
_LINE_BOILERPLATE = re.compile(
    r"(?im)^[ \t]*(?:(?:also\s+read|read\s+(?:also|more)|related(?:\s+(?:articles?|stories|posts))?"
    r"|see\s+also|recommended|more\s+from)\b[^\n]*"
    r"|(?:comments?|share(?:\s+this)?|advertisement|subscribe[^\n]*|sign\s+up[^\n]*)[ \t]*"
    r"|[^\w\n]{1,10})[ \t]*$"
)
# From here to the end of the text: author boxes, "latest entries" lists.
_TAIL_BOILERPLATE = re.compile(
    r"(?im)^[ \t]*(?:author\s+profile|about\s+the\s+author|latest\s+(?:entries|posts|news)"
    r"|related\s+posts|you\s+may\s+also\s+like)\b"
)
_SMALL_WORDS = {"a", "an", "the", "at", "of", "in", "on", "to", "for", "and", "or", "by", "with"}
_EN_STOPWORDS = {"the", "and", "of", "to", "in", "a", "is", "that", "for", "on", "was", "with", "as"}


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", path) from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory", path) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})", path) from None
    return _decode(raw, path)


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _decode(raw: bytes, path: Path | str) -> str:
    """Text from bytes: UTF-8 (a BOM allowed), or UTF-16/32 when a BOM says so."""
    for bom, encoding in _BOMS:  # UTF-32 first: its LE mark starts like UTF-16's
        if raw.startswith(bom):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: {encoding.upper()} text (by its byte-order mark) "
                                 f"with a bad byte at offset {exc.start}", path) from None
            if "\x00" in text:
                raise InputError(f"{path}: binary file, not text", path)
            return text
    if b"\x00" in raw:
        hint = " (UTF-16 without a byte-order mark? save it as UTF-8)" if _looks_utf16(raw) \
            else ""
        raise InputError(f"{path}: binary file, not text{hint}", path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})", path) from None


def _looks_utf16(raw: bytes) -> bool:
    """Every other byte NUL, as in UTF-16 English text."""
    sample = raw[:2000]
    return len(sample) >= 8 and (sample[1::2].count(0) > 0.8 * len(sample[1::2])
                                 or sample[0::2].count(0) > 0.8 * len(sample[0::2]))


def _parse_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in ("%d %B %Y", "%B %d, %Y", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def find_boilerplate(text: str) -> list[tuple[int, int]]:
    """Return sorted, merged ``[start, end)`` ranges of site boilerplate in ``text``."""
    ranges: list[tuple[int, int]] = []
    tail = _TAIL_BOILERPLATE.search(text)
    if tail:
        ranges.append((tail.start(), len(text)))
    for m in _LINE_BOILERPLATE.finditer(text):
        if m.group(0).strip():
            ranges.append((m.start(), m.end()))
    ranges.extend(_header_ranges(text))
    ranges.extend(_tagline_ranges(text))
    return merge_ranges(ranges)


def _header_ranges(text: str) -> list[tuple[int, int]]:
    """Metadata near the top: ``date 2025-03-09`` headers and short byline/dateline lines."""
    out = []
    head = text[:600]
    m = _HEADER_DATE.search(head)
    if m:
        out.append((m.start() + len(m.group(0)) - len(m.group(0).lstrip()), m.end()))
    for line in re.finditer(r"(?m)^[^\n]*$", text[:1500]):
        body = line.group(0)
        if (_DATELINE.search(body) or _DATELINE_US.search(body)) and len(body.split()) <= 8:
            out.append((line.start(), line.end()))
    return out


def _tagline_ranges(text: str) -> list[tuple[int, int]]:
    """A site slogan among the first lines: short, Title Case, ending with a full stop."""
    out = []
    lines = [m for m in re.finditer(r"(?m)^[^\n]*\S[^\n]*$", text)][:4]
    for m in lines:
        body = m.group(0).strip()
        words = re.findall(r"[A-Za-z']+", body)
        if not (2 <= len(words) <= 8) or not body.endswith("."):
            continue
        if all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words):
            out.append((m.start(), m.end()))
    return out


def _outside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    """``[start, end)`` touches none of ``ranges`` (sorted and disjoint: a binary search)."""
    i = bisect.bisect_right(ranges, (start, float("inf"))) - 1  # last range starting <= start
    if end <= start:  # an empty span is inside a range only strictly between its ends
        return not (i >= 0 and ranges[i][0] < start < ranges[i][1])
    if i >= 0 and ranges[i][1] > start:
        return False
    return i + 1 >= len(ranges) or ranges[i + 1][0] >= end


def _published_from_text(text: str, excluded: list[tuple[int, int]]) -> dt.date | None:
    m = _HEADER_DATE.search(text[:600])
    if m:
        return _parse_date(m.group(1))
    for pattern in (_DATELINE, _DATELINE_US):
        for m in pattern.finditer(text[:1500]):
            # A dateline inside site furniture (e.g. a "latest entries" list) says nothing.
            tail = next((r for r in excluded if r[1] == len(text) and r[0] <= m.start()), None)
            if tail is None:
                return _parse_date(m.group(1))
    return None


def _title_from_text(text: str, excluded: list[tuple[int, int]]) -> str | None:
    for m in re.finditer(r"(?m)^[^\n]*\S[^\n]*$", text):
        if not _outside(excluded, m.start(), m.end()):
            continue
        line = m.group(0).strip()
        after = text[m.end() : m.end() + 2]
        if 3 <= len(line.split()) <= 25 and line[-1] not in ".!?:\"”" and after.startswith("\n\n"):
            return line
        return None
    return None


def _looks_english(text: str) -> bool:
    words = re.findall(r"[a-z]+", text.lower())
    if len(words) < 20:
        return True
    return sum(w in _EN_STOPWORDS for w in words) / len(words) > 0.08


def make_article(
    article_id: str,
    text: str,
    *,
    source: str | None = None,
    url: str | None = None,
    published: Any = None,
    title: str | None = None,
) -> Article:
    """Build an :class:`Article`: boilerplate ranges, publication date, title and flags.

    Raises:
        InputError: empty or whitespace-only text.
    """
    if not isinstance(text, str):
        raise InputError(f"article {article_id}: 'text' must be a string")
    if not text.strip():
        raise InputError(f"article {article_id}: empty article (no text)")
    excluded = find_boilerplate(text)
    pub = _parse_date(published) if published is not None else None
    if pub is None:
        pub = _published_from_text(text, excluded)
    if title is None and published is None:
        title = _title_from_text(text, excluded)
    flags = [] if _looks_english(text) else ["non_english"]
    try:
        return Article(
            id=article_id,
            source=source,
            url=url,
            published=pub,
            title=title,
            text=text,
            excluded=excluded,
            flags=flags,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise InputError(f"article {article_id}: invalid '{field}' ({first['msg']})") from None


def _string_field(data: dict[str, Any], name: str, where: str) -> str | None:
    """An optional text field: a string, a number (taken as its digits) or null; anything else
    is the caller's mistake, named with its field."""
    value = data.get(name)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise InputError(f"{where}: '{name}' must be a string, not {_json_type(value)}")


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false", str: "a string",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _article_from_mapping(data: Any, default_id: str, where: str) -> Article:
    if not isinstance(data, dict):
        raise InputError(f"{where}: an article must be a JSON object")
    if "text" not in data:
        raise InputError(f"{where}: article has no 'text' field")
    article_id = _string_field(data, "id", where) or default_id
    where = f"{where} ({article_id})" if article_id != default_id else where
    if not isinstance(data["text"], str):
        raise InputError(f"{where}: 'text' must be a string, not {_json_type(data['text'])}")
    published = data.get("published")
    if published is not None and not isinstance(published, str):
        raise InputError(f"{where}: 'published' must be a date string such as 2025-03-09, not "
                         f"{_json_type(published)}")
    return make_article(
        article_id,
        data["text"],
        source=_string_field(data, "source", where),
        url=_string_field(data, "url", where),
        published=published,
        title=_string_field(data, "title", where),
    )


def _cluster_from_mapping(data: Any, default_id: str, where: str) -> Cluster:
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a JSON object")
    if "articles" not in data:
        if "text" in data:  # a single article
            return _dedupe(Cluster(cluster_id=default_id, articles=[
                _article_from_mapping(data, default_id, where)
            ]))
        raise InputError(f"{where}: a cluster needs 'articles' (or an article needs 'text')")
    if not isinstance(data["articles"], list):
        raise InputError(f"{where}: 'articles' must be a list")
    articles, failed = [], []
    for i, item in enumerate(data["articles"]):
        raw_id = item.get("id") if isinstance(item, dict) else None
        aid = str(raw_id) if isinstance(raw_id, (str, int)) and raw_id != "" else f"article-{i}"
        try:
            articles.append(_article_from_mapping(item, aid, f"{where} article {i}"))
        except InputError as exc:
            failed.append(FailedArticle(article_id=aid, error=str(exc)))
        except Exception as exc:  # a loader bug costs this article, not the cluster
            failed.append(FailedArticle(article_id=aid, error=f"{where} article {i}: cannot be "
                                        f"read ({type(exc).__name__}: {exc})"))
    cluster_id = data.get("cluster_id")
    if cluster_id is not None and not isinstance(cluster_id, (str, int)):
        raise InputError(f"{where}: 'cluster_id' must be a string, not {_json_type(cluster_id)}")
    cluster = Cluster(
        cluster_id=str(cluster_id or default_id), articles=articles, failed=failed
    )
    return _dedupe(cluster)


def _dedupe(cluster: Cluster) -> Cluster:
    """Identical texts are counted once; the later copy is flagged and dropped."""
    seen: dict[str, str] = {}
    kept = []
    failed = list(cluster.failed)
    for article in cluster.articles:
        digest = hashlib.sha256(" ".join(article.text.split()).encode()).hexdigest()
        if digest in seen:
            failed.append(
                FailedArticle(article_id=article.id, error=f"duplicate of {seen[digest]}",
                              duplicate_of=seen[digest])
            )
            continue
        seen[digest] = article.id
        kept.append(article)
    return Cluster(cluster_id=cluster.cluster_id, articles=kept, failed=failed)


def _parse_json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: malformed JSON ({exc.msg} at line {exc.lineno})") from None


def load_article(path: Path) -> Article:
    """Load one article file (.txt, .md or .json with a ``text`` field).

    Raises:
        InputError: missing, unreadable, binary, non-UTF-8, empty or malformed file.
    """
    text = _read_text(path)
    if path.suffix.lower() == ".json":
        return _article_from_mapping(_parse_json(text, str(path)), path.stem, str(path))
    return make_article(path.stem, text)


def _directory_files(directory: Path) -> list[Path]:
    files = [
        p
        for p in sorted(directory.iterdir())
        if p.is_file()
        and p.suffix.lower() in ARTICLE_SUFFIXES
        and p.name.lower() not in NOT_ARTICLES
        and not p.name.startswith(".")
    ]
    # The same article as .json (with metadata) and .txt: keep the JSON.
    stems_with_json = {p.stem for p in files if p.suffix.lower() == ".json"}
    return [p for p in files if p.suffix.lower() == ".json" or p.stem not in stems_with_json]


def _inside(path: Path, root: Path) -> bool:
    """``path`` (resolved) is strictly inside ``root`` (resolved)."""
    return path != root and root in path.parents


def load_directory(directory: Path, root: Path | None = None) -> Cluster:
    """A directory of article files is one cluster; unreadable files become failed articles.

    With ``root`` (a batch's input folder), a file that is a symlink leading out of ``root`` is
    not read: it becomes a failed article.
    """
    files = _directory_files(directory)
    if not files:
        raise InputError(f"{directory}: no articles (.txt, .md or .json) in this directory")
    articles, failed = [], []
    resolved_root = root.resolve() if root is not None else None
    for path in files:
        try:
            if resolved_root is not None and path.is_symlink() and not _inside(
                    path.resolve(), resolved_root):
                raise InputError(f"{path}: a symlink leading out of the input folder; not "
                                 "followed", path)
            articles.append(load_article(path))
        except InputError as exc:
            failed.append(FailedArticle(article_id=path.stem, error=str(exc)))
        except Exception as exc:  # a loader bug costs this article, not the cluster
            failed.append(FailedArticle(article_id=path.stem, error=f"{path}: cannot be read "
                                        f"({type(exc).__name__}: {exc})"))
    return _dedupe(Cluster(cluster_id=directory.resolve().name, articles=articles, failed=failed))


def load_cluster(paths: str | Path | list[str | Path]) -> Cluster:
    """Load one cluster from a directory, a cluster JSON, article files, or ``-`` (stdin).

    Raises:
        InputError: nothing loadable, or a malformed single input.
    """
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if not items:
        raise InputError("no input given")
    if len(items) == 1:
        item = items[0]
        if str(item) == "-":
            return _cluster_from_text(sys.stdin.read(), "stdin", "stdin")
        path = Path(item)
        if path.is_dir():
            return load_directory(path)
        text = _read_text(path)
        if path.suffix.lower() in {".json", ".jsonl"}:
            clusters = list(_clusters_from_text(text, path.stem, str(path)))
            if len(clusters) != 1:
                raise InputError(f"{path}: holds {len(clusters)} clusters; use 'summarizer batch'")
            return clusters[0]
        return _dedupe(Cluster(cluster_id=path.stem, articles=[make_article(path.stem, text)]))
    articles = [load_article(Path(p)) for p in items]
    return _dedupe(Cluster(cluster_id=Path(items[0]).parent.resolve().name, articles=articles))


def _cluster_from_text(text: str, default_id: str, where: str) -> Cluster:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        clusters = list(_clusters_from_text(text, default_id, where))
        if len(clusters) != 1:
            raise InputError(f"{where}: holds {len(clusters)} clusters; use 'summarizer batch'")
        return clusters[0]
    return Cluster(cluster_id=default_id, articles=[make_article(default_id, text)])


def _clusters_from_text(text: str, default_id: str, where: str) -> Iterator[Cluster]:
    if not text.strip():
        raise InputError(f"{where}: empty input")
    try:
        yield _cluster_from_mapping(json.loads(text), default_id, where)
        return
    except json.JSONDecodeError:
        pass
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 2:
        _parse_json(text, where)  # raises with the decoder's message
    for n, line in enumerate(lines, 1):
        yield _cluster_from_mapping(
            _parse_json(line, f"{where} line {n}"), f"{default_id}-{n}", f"{where} line {n}"
        )


def iter_clusters(path: str | Path) -> Iterator[Cluster | InputError]:
    """Clusters of a JSONL file (one per line, read line by line) or a directory of cluster
    directories, lazily.

    A bad line or directory is yielded as its :class:`InputError`, with ``cluster_id`` set (the
    line's own id when it has one, else ``<file stem>-<line>``), so a batch can go on.
    """
    path = Path(path)
    if path.is_dir():
        subdirs = [p for p in sorted(path.iterdir()) if p.is_dir()]
        if not subdirs:
            raise InputError(f"{path}: no cluster directories inside")
        root = path.resolve()
        for sub in subdirs:
            try:
                if sub.is_symlink() and not _inside(sub.resolve(), root):
                    raise InputError(f"{sub}: a symlink leading out of the input folder; not "
                                     "followed", sub)
                # the folder's own name, also for a symlink to another folder inside
                cluster = load_directory(sub, root=path).model_copy(
                    update={"cluster_id": sub.name})
            except InputError as exc:
                exc.cluster_id = sub.name  # type: ignore[attr-defined]
                yield exc
                continue
            except Exception as exc:  # whatever breaks on one folder costs only that cluster
                error = InputError(f"{sub}: cannot be read ({type(exc).__name__}: {exc})", sub)
                error.cluster_id = sub.name  # type: ignore[attr-defined]
                yield error
                continue
            yield cluster
        return
    if not path.is_file():
        _read_text(path)  # raises the usual one-line error (no such file, ...)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})", path) from None
    with handle:
        head = handle.read(4)
        handle.seek(0)
        lines: Iterator[bytes] = handle
        if any(head.startswith(bom) for bom, _ in _BOMS):
            # UTF-16/32 JSONL: decoded whole (it cannot be read line by line as bytes), and
            # re-encoded as UTF-8 lines
            lines = iter([ln.encode("utf-8") + b"\n"
                          for ln in _decode(handle.read(), path).splitlines()])
        for n, raw in enumerate(lines, 1):
            if not raw.strip():
                continue
            where = f"{path} line {n}"
            default = f"{path.stem}-{n}"
            try:
                try:
                    line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    raise InputError(f"{where}: not UTF-8 text (bad byte at offset "
                                     f"{exc.start})", path) from None
                data = _parse_json(line, where)
                if isinstance(data, dict) and isinstance(data.get("cluster_id"), str):
                    default = data["cluster_id"]
                cluster = _cluster_from_mapping(data, default, where)
            except InputError as exc:
                exc.cluster_id = default  # type: ignore[attr-defined]
                yield exc
                continue
            except Exception as exc:  # whatever breaks on one line costs only that cluster
                error = InputError(f"{where}: cannot be read ({type(exc).__name__}: {exc})", path)
                error.cluster_id = default  # type: ignore[attr-defined]
                yield error
                continue
            yield cluster


def count_clusters(path: str | Path) -> int | None:
    """How many clusters :func:`iter_clusters` will yield (non-blank lines or subdirectories),
    for progress bars; ``None`` when it cannot tell."""
    path = Path(path)
    try:
        if path.is_dir():
            return sum(1 for p in path.iterdir() if p.is_dir())
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError:
        return None


def included_text(article: Article) -> str:
    """The article text with boilerplate blanked (same length, so offsets still hold)."""
    chars = list(article.text)
    for start, end in article.excluded:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def is_included(article: Article, start: int, end: int) -> bool:
    """True when ``[start, end)`` does not touch boilerplate."""
    return _outside(article.excluded, start, end)


__all__ = [
    "InputError",
    "ValidationError",
    "find_boilerplate",
    "included_text",
    "is_included",
    "iter_clusters",
    "load_article",
    "load_cluster",
    "load_directory",
    "make_article",
]


def unusable_reason(cluster: Cluster) -> str:
    """Why a cluster with no article cannot be summarised, with each failed article's error."""
    reasons = "; ".join(f"{f.article_id}: {f.error}" for f in cluster.failed)
    return f"no usable article in the input ({reasons or 'empty cluster'})"


def cluster_from_mapping(data: object, default_id: str, where: str | None = None) -> Cluster:
    """A cluster from its JSON object (``{"cluster_id", "articles": [...]}``).

    Raises:
        InputError: not a cluster object, or no valid article.
    """
    return _cluster_from_mapping(data, default_id, where or default_id)
