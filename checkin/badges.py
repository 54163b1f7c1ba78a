"""Badges as PDF: one A6 badge per delegate, alone (the registrant's download) or four to an A4
sheet with cut marks (print-ready, for the whole edition).

Chinese and English side by side: the name in Chinese large with the English below (or the one
that exists), the institution and position, the sub-venues attended, a band in the category's
colour naming the category in both languages, and the signed QR code. Text comes in the font
shipped in checkin/fonts (TrueType, embedded as a subset), so the PDF looks the same on every
machine and reader. The QR code is drawn as vector paths: sharp at any print size, and quick.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import segno
from django.utils import translation
from reportlab import rl_config
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from events.models import Event
from registrations.models import Delegate

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
FONT = "WenQuanYiMicroHei"

COLOURS = {
    Delegate.Category.OFFICIAL: "#B3261E",
    Delegate.Category.VIP: "#8A6A00",
    Delegate.Category.INVESTOR: "#1F4E9A",
    Delegate.Category.GUEST: "#2E7D32",
    Delegate.Category.PRESS: "#6A3D9A",
    Delegate.Category.STAFF: "#37474F",
}


@cache
def _font() -> str:
    # Compressed streams without the ASCII85 layer on top: smaller and quicker to write.
    rl_config.useA85 = 0
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))
    return FONT


@dataclass(frozen=True)
class BadgeContent:
    """What one badge shows, already in both languages."""

    name_zh: str
    name_en: str
    institution_zh: str
    institution_en: str
    position: str
    venues: str
    category_zh: str
    category_en: str
    colour: str
    code: str


def badge_content(
    delegate: Delegate, *, code: str, category_labels: dict[str, tuple[str, str]]
) -> BadgeContent:
    organization = delegate.participation.organization
    institution_zh = organization.name_zh_hans or ""
    institution_en = organization.name_en or ""
    if institution_zh == institution_en:
        institution_en = ""
    venues = " · ".join(
        "/".join(dict.fromkeys(filter(None, [venue.name_zh_hans, venue.name_en])))
        for venue in delegate.venues.all()
    )
    zh, en = category_labels[delegate.category]
    return BadgeContent(
        name_zh=delegate.name_zh,
        name_en=delegate.name_en,
        institution_zh=institution_zh,
        institution_en=institution_en,
        position=delegate.position,
        venues=venues,
        category_zh=zh,
        category_en=en,
        colour=COLOURS.get(delegate.category, "#37474F"),
        code=code,
    )


def category_labels() -> dict[str, tuple[str, str]]:
    """Each category's label in Chinese and in English, whatever the request's language."""
    labels = {}
    for value, label in Delegate.Category.choices:
        with translation.override("zh-hans"):
            zh = str(label)
        with translation.override("en"):
            en = str(label)
        labels[value] = (zh, en)
    return labels


def _fit(text: str, *, width: float, size: float, smallest: float = 6) -> float:
    while size > smallest and pdfmetrics.stringWidth(text, FONT, size) > width:
        size -= 0.5
    return size


def _draw_text(canvas: Canvas, text: str, *, x: float, y: float, width: float, size: float,
               colour="#000000", centre: bool = True, smallest: float = 6) -> float:  # fmt: skip
    """Draw one line shrunk to fit ``width``; return the size used."""
    if not text:
        return 0
    size = _fit(text, width=width, size=size, smallest=smallest)
    canvas.setFont(FONT, size)
    canvas.setFillColor(HexColor(colour) if isinstance(colour, str) else colour)
    if centre:
        canvas.drawCentredString(x + width / 2, y, text)
    else:
        canvas.drawString(x, y, text)
    return size


def _draw_qr(canvas: Canvas, code: str, *, x: float, y: float, size: float) -> None:
    """The QR code as one filled path of horizontal runs, one unit per module.

    A fixed mask spares segno the search for the best of eight (most of its time); any mask
    makes a valid code. Coordinates are whole modules under a scaling transform, so the path
    is short integer text.
    """
    matrix = segno.make(code, error="m", micro=False, mask=4).matrix
    border = 2
    count = len(matrix)
    runs = []
    for row_index, row in enumerate(matrix):
        top = count - row_index - 1
        column = 0
        while column < count:
            if row[column]:
                start = column
                while column < count and row[column]:
                    column += 1
                runs.append(f"{start} {top} {column - start} 1 re")
            else:
                column += 1
    step = size / (count + 2 * border)
    canvas.saveState()
    canvas.transform(step, 0, 0, step, x + border * step, y + border * step)
    canvas.setFillColor(HexColor("#000000"))
    canvas.addLiteral("\n".join(runs) + "\nf")
    canvas.restoreState()


def _draw_badge(
    canvas: Canvas, badge: BadgeContent, event_title: str, *, x: float, y: float
) -> None:
    width, height = A6
    pad = 7 * mm
    inner = width - 2 * pad
    # The category band at the top.
    band = 20 * mm
    canvas.setFillColor(HexColor(badge.colour))
    canvas.rect(x, y + height - band, width, band, stroke=0, fill=1)
    category = " ".join(dict.fromkeys([badge.category_zh, badge.category_en.upper()]))
    _draw_text(canvas, category, x=x + pad,
               y=y + height - band + 7 * mm, width=inner, size=18, colour=white)  # fmt: skip
    _draw_text(canvas, event_title, x=x + pad, y=y + height - band - 7 * mm, width=inner,
               size=9, colour="#555555")  # fmt: skip
    # The name: Chinese large, English below; or the one there is, large.
    top = y + height - band - 22 * mm
    first, second = (badge.name_zh, badge.name_en) if badge.name_zh else (badge.name_en, "")
    _draw_text(canvas, first, x=x + pad, y=top, width=inner, size=30)
    if second:
        _draw_text(canvas, second, x=x + pad, y=top - 9 * mm, width=inner, size=15)
    line = top - 17 * mm
    for text, size in [
        (badge.institution_zh, 11),
        (badge.institution_en, 9),
        (badge.position, 9),
    ]:
        if text:
            _draw_text(canvas, text, x=x + pad, y=line, width=inner, size=size, colour="#222222")
            line -= size * 0.45 * mm + 3 * mm
    if badge.venues:
        _draw_text(canvas, badge.venues, x=x + pad, y=line - 1 * mm, width=inner, size=8,
                   colour=badge.colour)  # fmt: skip
    # The QR code, bottom centre.
    qr_size = 42 * mm
    _draw_qr(canvas, badge.code, x=x + (width - qr_size) / 2, y=y + 4 * mm, size=qr_size)


def render(badges: Iterable[BadgeContent], *, event: Event, sheet: bool) -> bytes:
    """Return the PDF: one A6 page per badge, or four A6 badges per A4 sheet with cut lines."""
    _font()
    buffer = io.BytesIO()
    page_size = A4 if sheet else A6
    canvas = Canvas(buffer, pagesize=page_size, pageCompression=1, initialFontName=_font())
    canvas.setTitle(f"{event.title} – badges")
    canvas.setCreator("VC Day")
    titles = [event.title_zh_hans or "", event.title_en or ""]
    event_title = " · ".join(dict.fromkeys(filter(None, titles)))
    width, height = A6
    slots = [(0, height), (width, height), (0, 0), (width, 0)] if sheet else [(0, 0)]
    index = 0
    for badge in badges:
        if index and index % len(slots) == 0:
            canvas.showPage()
        if sheet and index % len(slots) == 0:
            _cut_lines(canvas)
        slot_x, slot_y = slots[index % len(slots)]
        _draw_badge(canvas, badge, event_title, x=slot_x, y=slot_y)
        index += 1
    if index == 0:
        _draw_text(canvas, "—", x=0, y=page_size[1] / 2, width=page_size[0], size=12)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _cut_lines(canvas: Canvas) -> None:
    canvas.setStrokeColor(HexColor("#BBBBBB"))
    canvas.setLineWidth(0.3)
    canvas.setDash(2, 2)
    canvas.line(A6[0], 0, A6[0], A4[1])
    canvas.line(0, A6[1], A4[0], A6[1])
    canvas.setDash()
