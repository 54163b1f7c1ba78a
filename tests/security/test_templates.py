"""The site's templates contain nothing the Content-Security-Policy would block."""

import re

from django.conf import settings

TEMPLATES = sorted((settings.BASE_DIR / "templates").rglob("*.html"))

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)


def test_templates_found():
    assert len(TEMPLATES) > 20


def test_templates_have_no_inline_code_or_styles():
    problems = []
    for path in TEMPLATES:
        text = path.read_text()
        for name, pattern in [
            ("inline script without nonce", INLINE_SCRIPT),
            ("<style> element", STYLE_ELEMENT),
            ("style attribute", STYLE_ATTRIBUTE),
            ("event handler attribute", EVENT_HANDLER),
            ("javascript: URL", JAVASCRIPT_URL),
        ]:
            problems += [
                f"{path.relative_to(settings.BASE_DIR)}: {name}" for _ in pattern.finditer(text)
            ]
    assert problems == []
