import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_catalogue_has_no_untranslated_or_fuzzy_entry():
    text = CATALOGUE.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first block is the header
    empty = [
        e
        for e in entries
        if re.search(r'^msgstr(\[0\])? ""\n?$', e.strip(), re.M)
        and not re.search(r'^msgstr(\[0\])? ""\n"', e, re.M)
    ]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert not empty, empty[:3]
    assert not fuzzy, fuzzy[:3]


def test_compiled_catalogue_translates_interface_and_model_labels():
    from registrations.models import Participation

    with translation.override("zh-hans"):
        assert translation.gettext("Participating institutions") == "参与机构"
        assert str(Participation._meta.verbose_name) == "报名"
        assert str(Participation.Status.APPROVED.label) == "已批准"
