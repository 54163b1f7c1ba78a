from django.template import Context, Template
from django.utils import translation

from common.bilingual import latin_runs, missing_languages, text_language
from organizations.models import Organization


def _render(source: str, **context) -> str:
    return Template("{% load bilingual %}" + source).render(Context(context))


def _organization(**names) -> Organization:
    return Organization(slug="x", **names)


def test_text_language_names_the_fallback():
    organization = _organization(name_en="People's Daily Online", name_zh_hans="")
    with translation.override("zh-hans"):
        assert text_language(organization, "name") == "en"
    with translation.override("en"):
        assert text_language(organization, "name") == "en"


def test_tr_marks_english_fallback_on_a_chinese_page():
    organization = _organization(name_en="Cheng & Co", name_zh_hans="")
    with translation.override("zh-hans"):
        html = _render('{{ o|tr:"name" }}', o=organization)
    assert html == '<span lang="en">Cheng &amp; Co</span>'


def test_tr_marks_chinese_fallback_on_an_english_page():
    organization = _organization(name_en="", name_zh_hans="人民网")
    with translation.override("en"):
        assert _render('{{ o|tr:"name" }}', o=organization) == '<span lang="zh-Hans">人民网</span>'


def test_tr_leaves_text_in_the_page_language_alone_but_marks_latin_runs_in_chinese():
    organization = _organization(
        name_en="People's Daily Online", name_zh_hans="人民网/Wang Shaoshao"
    )
    with translation.override("en"):
        assert _render('{{ o|tr:"name" }}', o=organization) == "People&#x27;s Daily Online"
    with translation.override("zh-hans"):
        html = _render('{{ o|tr:"name" }}', o=organization)
    assert html == '人民网/<span lang="en">Wang Shaoshao</span>'


def test_lang_attr_only_when_the_text_falls_back():
    organization = _organization(description_en="A district.", description_zh_hans="")
    with translation.override("zh-hans"):
        assert _render('<div{{ o|lang_attr:"description" }}>', o=organization) == '<div lang="en">'
    with translation.override("en"):
        assert _render('<div{{ o|lang_attr:"description" }}>', o=organization) == "<div>"


def test_latin_runs_skip_single_letters_and_numbers():
    assert latin_runs("分会场A，828企业服务平台") == []
    text = "英文报道《Shenzhen hosts venture capital event in Beijing, eyes innovation boost》"
    [(start, end)] = latin_runs(text)
    assert text[start:end].startswith("Shenzhen hosts")
    assert text[start:end].endswith("boost")


def test_missing_languages_lists_languages_lacking_a_text_the_other_has():
    organization = _organization(name_en="Luohu", name_zh_hans="罗湖", description_en="A district.")
    assert missing_languages(organization) == ["zh-hans"]
    assert missing_languages(_organization(name_en="", name_zh_hans="罗湖")) == ["en"]
    assert missing_languages(_organization(name_en="Luohu", name_zh_hans="罗湖")) == []
