"""Server-rendered SVG bar charts (no JavaScript), with the table beside them in the page."""

from decimal import Decimal

from django import template

register = template.Library()

ROW_HEIGHT = 34
LABEL_WIDTH = 150
BAR_AREA = 330
VALUE_GAP = 8
WIDTH = LABEL_WIDTH + BAR_AREA + 120


@register.inclusion_tag("website/includes/bar_chart.html")
def bar_chart(rows, *, title: str, chart_id: str):
    """Draw horizontal bars for ``rows``: an iterable of (label, value, value_text)."""
    rows = list(rows)
    largest = max((Decimal(value or 0) for _label, value, _text in rows), default=Decimal(0))
    bars = []
    for index, (label, value, text) in enumerate(rows):
        share = (Decimal(value or 0) / largest) if largest else Decimal(0)
        width = int(share * BAR_AREA) if value else 0
        y = index * ROW_HEIGHT
        bars.append(
            {
                "label": label,
                "text": text,
                "y": y,
                "bar_y": y + 6,
                "text_y": y + ROW_HEIGHT / 2 + 5,
                "width": max(width, 2 if value else 0),
                "value_x": LABEL_WIDTH + max(width, 2) + VALUE_GAP,
            }
        )
    return {
        "bars": bars,
        "title": title,
        "chart_id": chart_id,
        "height": max(len(bars), 1) * ROW_HEIGHT,
        "width": WIDTH,
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - VALUE_GAP,
        "bar_height": ROW_HEIGHT - 12,
    }
