"""404 and 500 pages exist in both languages."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "title", "home"),
    [("en", "Page not found", "Go to the home page"), ("zh-hans", "页面不存在", "返回首页")],
)
def test_404_page_in_both_languages(client, language, title, home):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    assert f"<h1>{title}</h1>" in response.text
    assert f'<a href="/{language}/">{home}</a>' in response.text


@pytest.mark.urls("tests.faults.urls")
@pytest.mark.parametrize(
    ("language", "title", "text"),
    [
        ("en", "Something went wrong", "an error on our side"),
        ("zh-hans", "出错了", "我们这边出现了错误"),
    ],
)
def test_500_page_in_both_languages(client, language, title, text):
    client.raise_request_exception = False
    response = client.get(f"/{language}/broken/")
    assert response.status_code == 500
    assert f"<h1>{title}</h1>" in response.text
    assert text in response.text
    assert f'<html lang="{"zh-Hans" if language == "zh-hans" else "en"}">' in response.text
