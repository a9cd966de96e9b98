import json

import pytest

from summarizer.articles import find_boilerplate, iter_clusters, load_article, load_cluster
from summarizer.errors import InputError


def test_dev_cluster_loads_json_over_txt(dev_cluster):
    assert [a.id for a in dev_cluster.articles] == [
        "000_2d722284682ca7da", "001_747cbcc47687015b", "002_6e74e58276a0b20d",
        "003_b6a3fbd43410369e", "004_129b17b79ff333a7",
    ]
    assert dev_cluster.failed == []


def test_publication_date_from_plain_text_header_and_dateline(tmp_path):
    from tests.conftest import DEV

    a1 = load_article(DEV / "001_747cbcc47687015b.txt")
    a3 = load_article(DEV / "003_b6a3fbd43410369e.txt")
    a0 = load_article(DEV / "000_2d722284682ca7da.txt")
    assert str(a1.published) == "2025-03-09"
    assert str(a3.published) == "2025-03-09"
    assert a0.published is None  # its March 9, 2025 dates are boilerplate


def test_boilerplate_is_excluded_not_removed(dev_cluster):
    by_id = {a.id: a for a in dev_cluster.articles}
    a0 = by_id["000_2d722284682ca7da"]
    start, end = a0.excluded[-1]
    assert a0.text[start:].startswith("Author Profile") and end == len(a0.text)
    texts = [a.text[s:e] for a in dev_cluster.articles for s, e in a.excluded]
    assert any(t.startswith("Also Read: Russia") for t in texts)
    assert "Comments" in texts
    assert "Connecting Communities, One Page at a Time." in texts
    raw = (by_id["001_747cbcc47687015b"].text)
    assert raw.startswith(" date 2025-03-09 The death toll")  # text unchanged


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"", "empty article", id="empty"),
        pytest.param(b"   \n\t  ", "empty article", id="whitespace"),
        pytest.param(b"\x00\x01binary\x00", "binary file", id="binary"),
        pytest.param(b"caf\xe9 au lait", "not UTF-8", id="non-utf8"),
    ],
)
def test_bad_text_files(tmp_path, content, message):
    path = tmp_path / "a.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        load_article(path)


def test_malformed_and_missing_text_json(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(InputError, match="malformed JSON"):
        load_article(bad)
    notext = tmp_path / "notext.json"
    notext.write_text(json.dumps({"id": "x", "title": "t"}))
    with pytest.raises(InputError, match="no 'text'"):
        load_article(notext)


def test_missing_file_and_empty_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_cluster(tmp_path / "nope.txt")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no articles"):
        load_cluster(tmp_path / "empty")


def test_bad_file_in_directory_costs_only_itself(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "good.txt").write_text("Ten people died on Monday, police said.")
    (tmp_path / "c" / "bad.txt").write_bytes(b"\x89PNG\x00\x01")
    (tmp_path / "c" / "dup.txt").write_text("Ten people died on Monday, police said.")
    cluster = load_cluster(tmp_path / "c")
    assert [a.id for a in cluster.articles] == ["dup"]
    errors = {f.article_id: f.error for f in cluster.failed}
    assert "binary" in errors["bad"]
    assert errors["good"] == "duplicate of dup"


def test_cluster_json_and_jsonl(tmp_path):
    cluster = {"cluster_id": "c1", "articles": [
        {"id": "a", "text": "One.", "published": "2025-03-09T05:53:00Z"},
        {"id": "b", "title": "no text"},
    ]}
    path = tmp_path / "c.json"
    path.write_text(json.dumps(cluster))
    loaded = load_cluster(path)
    assert loaded.cluster_id == "c1" and str(loaded.articles[0].published) == "2025-03-09"
    assert loaded.failed[0].article_id == "b"
    jl = tmp_path / "many.jsonl"
    jl.write_text(json.dumps(cluster) + "\n{broken\n" + json.dumps({**cluster, "cluster_id": "c2"}))
    items = list(iter_clusters(jl))
    assert [type(i).__name__ for i in items] == ["Cluster", "InputError", "Cluster"]
    assert [i.cluster_id for i in items] == ["c1", "many-2", "c2"]  # a bad line keeps an id


def test_find_boilerplate_lines():
    text = "Real news here.\nAlso Read: other thing\nMore news.\nComments\n"
    ranges = find_boilerplate(text)
    assert [text[s:e] for s, e in ranges] == ["Also Read: other thing", "Comments"]
