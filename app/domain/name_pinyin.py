"""Pinyin keys of personal names for search: full pinyin (``wangfang``), initials (``wf``).

pypinyin (0.55) has no surname mode, so the readings of polyphonic surnames are fixed here: read as an
ordinary word, 单 would be "dan" and 曾 "ceng", and an officer typing ``sxx`` for 单雄信 would find nothing.
Both the surname reading and pypinyin's ordinary reading are plausible inputs; we store the surname one,
which is what people say aloud.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Compound surnames first (matched before single characters), then single ones whose surname reading
# differs from the common reading of the character.
SURNAME_READINGS: dict[str, list[str]] = {
    "尉迟": ["yu", "chi"],
    "万俟": ["mo", "qi"],
    "长孙": ["zhang", "sun"],
    "单于": ["chan", "yu"],
    "澹台": ["tan", "tai"],
    "单": ["shan"],
    "曾": ["zeng"],
    "解": ["xie"],
    "仇": ["qiu"],
    "区": ["ou"],
    "朴": ["piao"],
    "查": ["zha"],
    "盖": ["ge"],
    "覃": ["qin"],
    "乐": ["yue"],
    "召": ["shao"],
    "缪": ["miao"],
    "翟": ["zhai"],
    "繁": ["po"],
    "员": ["yun"],
    "秘": ["bi"],
    "种": ["chong"],
    "纪": ["ji"],
    "柏": ["bai"],
    "宁": ["ning"],
    "沈": ["shen"],
    "薄": ["bo"],
    "燕": ["yan"],
    "隗": ["wei"],
    "冼": ["xian"],
    "蕃": ["pi"],
    "句": ["gou"],
    "么": ["yao"],
    "任": ["ren"],
    "华": ["hua"],
    "过": ["guo"],
    "阚": ["kan"],
    "訾": ["zi"],
}

_LATIN = re.compile(r"[a-z]+")


def name_syllables(name: str) -> list[str]:
    """Lower-case toneless syllables of a name, surname read as a surname; Latin parts kept as words."""
    return list(_syllables(name))


@lru_cache(maxsize=65536)  # read once per distinct name for both keys below (pypinyin is the costly part)
def _syllables(name: str) -> tuple[str, ...]:
    name = "".join(name.split())
    head: list[str] = []
    rest = name
    for surname in sorted(SURNAME_READINGS, key=len, reverse=True):
        if name.startswith(surname):
            head = list(SURNAME_READINGS[surname])
            rest = name[len(surname) :]
            break
    syllables = head + [s.lower() for s in lazy_pinyin(rest, style=Style.NORMAL, errors="default")]
    out: list[str] = []
    for s in syllables:
        out.extend(_LATIN.findall(s.replace("ü", "v")))
    return tuple(out)


@lru_cache(maxsize=65536)  # names repeat (王芳, 李伟…); a 100,000-row import derives keys for each row
def name_pinyin(name: str) -> str:
    """``王芳`` → ``wangfang``."""
    return "".join(_syllables(name))[:200]


@lru_cache(maxsize=65536)
def name_initials(name: str) -> str:
    """``王芳`` → ``wf``."""
    return "".join(s[0] for s in _syllables(name))[:20]


def reversed_id(number: str) -> str:
    """The resident ID reversed, so an ID-suffix search is an indexed prefix range on this column."""
    return number[::-1]
