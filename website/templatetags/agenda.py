"""The sessions of an edition's agenda, built in one pass.

A 100-session agenda written with template tags resolves thousands of variables, a translated
field with its ``lang`` mark per title, speaker, position and institution, and a URL per
institution through the template engine; here each session is a few joined strings with the
words looked up once per venue (bench/render.py measures the edition page). The markup is
what ``website/event_detail.html`` printed session by session before.
"""

from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, pgettext

from common.templatetags.bilingual import translated
from common.urls import record_addresses
from events.models import SessionSpeaker

register = template.Library()


@register.simple_tag
def agenda_items(sessions) -> SafeString:
    """The ``<li>`` of each session (rows of ``selectors.agenda_sessions``), in order."""
    words = {
        "comma": escape(pgettext("between the parts of a speaker's description", ", ")),
        "dash": escape(pgettext("range of dates or times", "–")),
        "no_time": escape(gettext("Time not announced")),
        "roles": {value: escape(str(label)) for value, label in SessionSpeaker.Role.choices},
        "language": get_language(),
        "zone": timezone.get_current_timezone(),
        "institution_address": record_addresses("organizations:detail", "slug"),
    }
    # Every piece is escaped where it is made (``translated`` returns escaped, marked text), so
    # the parts are joined as strings: format_html per piece costs more than the rest of the page.
    return SafeString("\n".join(_item(session, words) for session in sessions))


def _item(session, words: dict) -> str:
    language = words["language"]
    description = translated(session, "description", language)
    return "".join(
        [
            '<li class="agenda-item"><p class="agenda-time">',
            _time(session, words),
            '</p><div><h4 class="h6 mb-1">',
            translated(session, "title", language),
            "</h4>",
            f'<p class="mb-1">{description}</p>' if description else "",
            _speakers(session.speakers, words),
            "</div></li>",
        ]
    )


def _time(session, words: dict) -> str:
    if not session.starts_at:
        return f'<span class="text-body-secondary">{words["no_time"]}</span>'
    if not session.ends_at:
        return _clock(session.starts_at, words)
    return _clock(session.starts_at, words) + words["dash"] + _clock(session.ends_at, words)


def _clock(moment, words: dict) -> str:
    local = moment.astimezone(words["zone"])
    return f'<time datetime="{local.isoformat()}">{local.strftime("%H:%M")}</time>'


def _speakers(speakers: list, words: dict) -> str:
    if not speakers:
        return ""
    items = "".join(f"<li>{_speaker(speaker, words)}</li>" for speaker in speakers)
    return f'<ul class="speakers list-unstyled mb-0">{items}</ul>'


def _speaker(speaker, words: dict) -> str:
    language = words["language"]
    parts = ["<strong>", translated(speaker, "person_name", language), "</strong>"]
    if speaker.role != SessionSpeaker.Role.SPEAKER:
        label = words["roles"].get(speaker.role) or escape(speaker.role)
        parts.append(f' <span class="badge text-bg-light border">{label}</span>')
    # The position at this edition, else the person's current one.
    position = translated(speaker, "position", language) or translated(
        speaker, "person_position", language
    )
    if position:
        parts += [words["comma"], position]
    if speaker.organization_slug:
        url = escape(words["institution_address"](speaker.organization_slug))
        name = translated(speaker, "organization_name", language)
        parts += [words["comma"], f'<a href="{url}">', name, "</a>"]
    return "".join(parts)
