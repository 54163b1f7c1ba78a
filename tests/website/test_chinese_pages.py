"""The seed edition's Chinese pages are Chinese, apart from runs marked lang="en"."""

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

EDITION = "venture-capital-day-of-shenzhen-2024"
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


class _UnmarkedText(HTMLParser):
    """Collect the text of <main> outside elements marked with another language."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}
    BLOCK = {
        *("p", "div", "li", "ul", "ol", "dt", "dd", "dl", "td", "th", "tr", "table", "caption"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "section", "nav", "figure", "figcaption", "br"),
        *("form", "label", "option", "select", "button", "fieldset", "legend", "header"),
    }

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool, bool]] = []  # tag, in main, foreign
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        in_main, foreign = self.stack[-1][1:] if self.stack else (False, False)
        in_main = in_main or tag == "main"
        foreign = foreign or ("lang" in attrs and not attrs["lang"].startswith("zh"))
        if tag in self.BLOCK:
            self.text.append("\n")
        if tag not in self.VOID:
            self.stack.append((tag, in_main, foreign))

    def handle_endtag(self, tag):
        if tag in self.BLOCK:
            self.text.append("\n")
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self.stack:
            return
        tag, in_main, foreign = self.stack[-1]
        if in_main and not foreign and tag not in {"script", "style"}:
            self.text.append(data)


def unmarked_latin_words(html: str) -> list[str]:
    parser = _UnmarkedText()
    parser.feed(html)
    text = " ".join(parser.text)
    return LATIN_WORD.findall(text)


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


@pytest.mark.parametrize(
    "path",
    [
        f"/zh-hans/events/{EDITION}/",
        "/zh-hans/",
        "/zh-hans/series/venture-capital-day-of-shenzhen/",
        "/zh-hans/institutions/luohu-district-peoples-government/",
        "/zh-hans/institutions/xicheng-district-beijing/",
        "/zh-hans/agreements/",
    ],
)
def test_chinese_page_main_content_is_chinese_apart_from_marked_runs(client, demo, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    # Only the file type of the calendar link and the iCalendar name stay Latin.
    words = [w for w in unmarked_latin_words(html) if w not in {"ics"}]
    assert not words, words


@pytest.mark.parametrize(
    "path",
    [
        f"/zh-hans/events/{EDITION}/",
        "/zh-hans/",
        "/zh-hans/series/venture-capital-day-of-shenzhen/",
        "/zh-hans/institutions/luohu-district-peoples-government/",
        "/zh-hans/agreements/",
        "/zh-hans/events/sample-upcoming-edition/register/",
    ],
)
def test_chinese_page_uses_full_width_punctuation_without_spaces_or_dashes(client, demo, path):
    parser = _UnmarkedText()
    parser.feed(client.get(path).content.decode())
    # Text nodes joined as a reader sees them, runs of white space as one space.
    chunks = [" ".join(line.split()) for line in "".join(parser.text).split("\n")]
    bad = [
        c
        for c in chunks
        if re.search(r"[：，；、。（）] |–|—|[\u4e00-\u9fff][,:;()]|[,:;()][\u4e00-\u9fff]", c)
    ]
    assert not bad, bad


def test_demo_shows_no_us_dollar_amount_without_a_named_rate(client, demo):
    # The article gives $13.8 billion but not the rate it used: the equivalent stays hidden.
    assert "美元" not in client.get("/zh-hans/").content.decode()
    assert "US dollars" not in client.get("/en/series/venture-capital-day-of-shenzhen/").text


def test_chinese_edition_page_marks_the_english_fallbacks(client, demo):
    html = client.get(f"/zh-hans/events/{EDITION}/").content.decode()
    assert "2024年深圳创投日" in html
    assert '<span lang="en">Zuo Jinping</span>' in html
    assert "关于人工智能驱动的创新加速器的合作备忘录" in html


def test_english_edition_page_has_no_chinese_outside_marked_runs(client, demo):
    html = client.get(f"/en/events/{EDITION}/").content.decode()
    # Parsed as if Chinese were the foreign language: what is left must hold no Chinese.
    parser = _UnmarkedText()
    parser.feed(html.replace('lang="zh-Hans"', 'lang="xx"'))
    assert not re.findall(r"[\u4e00-\u9fff]+", " ".join(parser.text))
