"""The sessions of an edition's agenda, built in one pass.

A 100-session agenda written with template tags resolves thousands of variables, a translated
field with its ``lang`` mark per title, speaker, position and institution, and a URL per
institution through the template engine; here each session is a few joined strings with the
words looked up once per venue (bench/render.py measures the edition page). The markup is
what ``website/event_detail.html`` printed session by session before.
"""

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from common.templatetags.bilingual import tr
from events.models import SessionSpeaker

register = template.Library()


@register.simple_tag
def agenda_items(sessions) -> SafeString:
    """The ``<li>`` of each session (with ``speaker_list`` prefetched), in order."""
    words = {
        "comma": escape(pgettext("between the parts of a speaker's description", ", ")),
        "dash": escape(pgettext("range of dates or times", "–")),
        "no_time": escape(gettext("Time not announced")),
        "roles": {value: escape(label) for value, label in SessionSpeaker.Role.choices},
    }
    # Every piece is escaped where it is made (tr returns escaped, marked text), so the parts
    # are joined as strings: format_html per piece costs more than the rest of the page.
    return mark_safe("\n".join(_item(session, words) for session in sessions))  # noqa: S308


def _item(session, words: dict) -> str:
    description = tr(session, "description") if session.description else ""
    return "".join(
        [
            '<li class="agenda-item"><p class="agenda-time">',
            _time(session, words),
            '</p><div><h4 class="h6 mb-1">',
            tr(session, "title"),
            "</h4>",
            f'<p class="mb-1">{description}</p>' if description else "",
            _speakers(session.speaker_list, words),
            "</div></li>",
        ]
    )


def _time(session, words: dict) -> str:
    if not session.starts_at:
        return f'<span class="text-body-secondary">{words["no_time"]}</span>'
    if not session.ends_at:
        return _clock(session.starts_at)
    return _clock(session.starts_at) + words["dash"] + _clock(session.ends_at)


def _clock(moment) -> str:
    local = timezone.localtime(moment)
    return f'<time datetime="{local.isoformat()}">{local.strftime("%H:%M")}</time>'


def _speakers(roles: list[SessionSpeaker], words: dict) -> str:
    if not roles:
        return ""
    items = "".join(f"<li>{_speaker(role, words)}</li>" for role in roles)
    return f'<ul class="speakers list-unstyled mb-0">{items}</ul>'


def _speaker(role: SessionSpeaker, words: dict) -> str:
    person = role.person
    parts = ["<strong>", tr(person, "name"), "</strong>"]
    if role.role != SessionSpeaker.Role.SPEAKER:
        label = words["roles"].get(role.role) or escape(role.role)
        parts.append(f' <span class="badge text-bg-light border">{label}</span>')
    if role.position:
        parts += [words["comma"], tr(role, "position")]
    elif person.position:
        parts += [words["comma"], tr(person, "position")]
    if organization := person.organization:
        url = escape(organization.get_absolute_url())
        parts += [words["comma"], f'<a href="{url}">', tr(organization, "name"), "</a>"]
    return "".join(parts)
