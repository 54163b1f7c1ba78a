"""Normalize institution names so that spelling variants of one name compare equal."""

import unicodedata

# Legal forms written as separate words (English and pinyin-era spellings), compared after
# case folding with dots removed: "Co., Ltd." becomes the tokens "co" and "ltd".
WORD_SUFFIXES = frozenset(
    {
        "co",
        "company",
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "limited",
        "ltd",
        "llc",
        "llp",
        "lp",
        "plc",
        "gmbh",
    }
)

# Legal forms written without spaces, longest first, so the longer one is removed whole.
CHINESE_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "有限合伙",
    "普通合伙",
    "合伙企业",
    "公司",
)


def _to_tokens(value: str) -> list[str]:
    value = unicodedata.normalize("NFKC", value).casefold().replace(".", "")
    chars = [
        " " if unicodedata.category(char)[0] in {"P", "S", "Z", "C"} else char for char in value
    ]
    return "".join(chars).split()


def normalize_name(value: str) -> str:
    """Return the key under which an institution's name is matched.

    Full-width and half-width forms are unified (NFKC), case is folded, punctuation and spaces
    are dropped, and trailing legal-form suffixes in English and Chinese are removed, so
    "ＡＢＣ Capital Co., Ltd." and "abc capital limited" share the key "abccapital". A name made
    only of a legal form keeps it rather than becoming empty.
    """
    tokens = _to_tokens(value or "")
    while len(tokens) > 1 and tokens[-1] in WORD_SUFFIXES:
        tokens.pop()
    key = "".join(tokens)
    stripped = True
    while stripped and key not in CHINESE_SUFFIXES:
        stripped = False
        for suffix in CHINESE_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key.removesuffix(suffix)
                stripped = True
                break
    return key
