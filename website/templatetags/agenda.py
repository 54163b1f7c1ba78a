"""The sessions of an edition's agenda, built in one pass.

A 100-session agenda written with template tags resolves thousands of variables, a translated
field with its ``lang`` mark per title, speaker, position and institution, and a URL per
institution through the template engine; here each session is a few ``format_html`` calls with
the words looked up once per venue (bench/render.py measures the edition page). The markup is
what ``website/event_detail.html`` printed session by session before.
"""

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, pgettext

from common.templatetags.bilingual import tr
from events.models import SessionSpeaker

register = template.Library()


@register.simple_tag
def agenda_items(sessions) -> SafeString:
    """The ``<li>`` of each session (with ``speaker_list`` prefetched), in order."""
    words = {
        "comma": pgettext("between the parts of a speaker's description", ", "),
        "dash": pgettext("range of dates or times", "–"),
        "no_time": gettext("Time not announced"),
        "roles": {value: str(label) for value, label in SessionSpeaker.Role.choices},
    }
    return format_html_join(
        "\n",
        '<li class="agenda-item"><p class="agenda-time">{}</p><div>'
        '<h4 class="h6 mb-1">{}</h4>{}{}</div></li>',
        (
            (
                _time(session, words),
                tr(session, "title"),
                format_html('<p class="mb-1">{}</p>', tr(session, "description"))
                if session.description
                else "",
                _speakers(session.speaker_list, words),
            )
            for session in sessions
        ),
    )


def _time(session, words: dict) -> SafeString:
    if not session.starts_at:
        return format_html('<span class="text-body-secondary">{}</span>', words["no_time"])
    parts = [_clock(session.starts_at)]
    if session.ends_at:
        parts.append(format_html("{}{}", words["dash"], _clock(session.ends_at)))
    return SafeString("".join(parts))


def _clock(moment) -> SafeString:
    local = timezone.localtime(moment)
    return format_html('<time datetime="{}">{}</time>', local.isoformat(), local.strftime("%H:%M"))


def _speakers(roles: list[SessionSpeaker], words: dict) -> SafeString | str:
    if not roles:
        return ""
    return format_html(
        '<ul class="speakers list-unstyled mb-0">{}</ul>',
        format_html_join("", "<li>{}</li>", ((_speaker(role, words),) for role in roles)),
    )


def _speaker(role: SessionSpeaker, words: dict) -> SafeString:
    person = role.person
    parts = [format_html("<strong>{}</strong>", tr(person, "name"))]
    if role.role != SessionSpeaker.Role.SPEAKER:
        parts.append(
            format_html(
                ' <span class="badge text-bg-light border">{}</span>',
                words["roles"].get(role.role, role.role),
            )
        )
    if role.position:
        parts.append(format_html("{}{}", words["comma"], tr(role, "position")))
    elif person.position:
        parts.append(format_html("{}{}", words["comma"], tr(person, "position")))
    if organization := person.organization:
        parts.append(
            format_html(
                '{}<a href="{}">{}</a>',
                words["comma"],
                organization.get_absolute_url(),
                tr(organization, "name"),
            )
        )
    return SafeString("".join(parts))
