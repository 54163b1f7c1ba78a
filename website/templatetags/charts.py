"""Bar charts drawn with HTML and CSS (no JavaScript, no SVG text that shrinks on a phone),
with the table beside them in the page."""

from decimal import Decimal

from django import template

register = template.Library()


@register.inclusion_tag("website/includes/bar_chart.html")
def bar_chart(rows, *, title: str, chart_id: str):
    """Draw horizontal bars for ``rows``: an iterable of (label, value, value_text).

    Each row is a label over a bar whose length is the value's share of the largest value, so
    the labels wrap instead of being cut off at any width.
    """
    rows = list(rows)
    largest = max((Decimal(value or 0) for _label, value, _text in rows), default=Decimal(0))
    bars = []
    for label, value, text in rows:
        share = (Decimal(value or 0) / largest) if largest else Decimal(0)
        percent = float(round(share * 100, 1)) if value else 0.0
        bars.append({"label": label, "text": text, "percent": max(percent, 0.5 if value else 0)})
    return {"bars": bars, "title": title, "chart_id": chart_id}


@register.inclusion_tag("website/includes/paired_bar_chart.html")
def paired_bar_chart(rows, *, title: str, chart_id: str, first: str, second: str):
    """Two bars per row on one scale: ``rows`` of (label, first, first_text, second,
    second_text), e.g. the amount signed and the capital in place of each edition."""
    rows = list(rows)
    largest = max((Decimal(v or 0) for row in rows for v in (row[1], row[3])), default=Decimal(0))

    def share(value) -> float:
        if not value or not largest:
            return 0.0
        return max(float(round(Decimal(value) / largest * 100, 1)), 0.5)

    bars = [
        {
            "label": label,
            "first": share(a),
            "first_text": a_text,
            "second": share(b),
            "second_text": b_text,
        }
        for label, a, a_text, b, b_text in rows
    ]
    return {"bars": bars, "title": title, "chart_id": chart_id, "first": first, "second": second}
