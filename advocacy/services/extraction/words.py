"""The word lists the importer reads by: verbs of saying, pronouns, descriptions, non-names."""

from __future__ import annotations

import re

from advocacy.text import fold

# Quote marks

_OPENERS = {'"': '"', "“": "”", "„": "“”", "«": "»", "‹": "›"}
_TERMINAL = ".!?…"
_DASHES = "—–"

# Word lists

SPEECH_VERBS = {
    # English
    "said", "says", "say", "asked", "asks", "added", "adds", "wrote", "writes", "told",
    "tells", "explained", "explains", "claimed", "claims", "declared", "declares", "stated",
    "states", "noted", "notes", "reads", "continued", "continues", "insisted", "insists",
    "urged", "urges", "warned", "warns", "replied", "replies", "responded", "answered",
    "argued", "argues", "demanded", "demands", "complained", "recalled", "recalls",
    "posted", "tweeted", "commented", "confirmed", "stressed", "emphasised", "emphasized",
    "announced", "admitted", "revealed", "pleaded", "appealed", "saying", "asking",
    "adding", "writing", "telling", "explaining", "describing", "described", "called",
    "calls", "cited", "quoted", "shouted", "exclaimed", "remarked", "suggested", "agreed",
    # Russian
    "сказал", "сказала", "сказали", "заявил", "заявила", "заявили", "спросил", "спросила",
    "спросили", "добавил", "добавила", "добавили", "написал", "написала", "написали",
    "отметил", "отметила", "отметили", "подчеркнул", "подчеркнула", "рассказал",
    "рассказала", "рассказали", "пояснил", "пояснила", "говорит", "говорят", "говорится",
    "сообщил", "сообщила", "сообщили", "призвал", "призвала", "призвали", "ответил",
    "ответила", "заявляет", "пишет", "пишут", "считает", "уточнил", "уточнила",
    "обратилась", "обратился", "обратились", "возмутилась", "признался", "признала",
    # Ukrainian
    "сказав", "заявив", "запитала", "запитав", "додав",
    "додала", "додали", "написав", "зазначив", "зазначила", "наголосив",
    "наголосила", "розповів", "розповіла", "розповіли", "повідомив", "повідомила",
    "повідомили", "пояснив", "каже", "кажуть", "відповіла", "відповів",
    # Present tense and less common verbs of telling (reportage often uses them).
    "cried", "exclaims", "cries", "рассказывает", "вспоминает", "вспоминала", "поделилась",
    "поделился", "говорила",
    "говорил", "сообщив", "цитирует", "добавляет", "уточняет", "признается",
    "розповідає", "розповідала", "згадує", "згадала", "поділилася", "поділився",
    "говорить", "підтверджує", "подтверждает", "confirms", "наголошує", "додає", "зазначає",
    "пояснює",
}  # fmt: skip

ACCORDING_TO = re.compile(
    r"\b(?:according\s+to|по\s+словам|как\s+(?:заявил|заявила|сказал|сказала|пишет)|"
    r"за\s+словами|як\s+(?:заявив|заявила|сказав|сказала))\s+",
    re.IGNORECASE,
)

PRONOUNS = {
    "he": "he", "she": "he", "him": "he", "her": "he",
    "it": "it", "its": "it",
    "they": "they", "them": "they",
    "он": "he", "она": "he", "оно": "it", "они": "they",
    "він": "he", "вона": "he", "воно": "it", "вони": "they",
}  # fmt: skip
# Which people a pronoun can stand for: "f" a woman, "m" a man.
PRONOUN_GENDER = {
    "he": "m", "him": "m", "she": "f", "her": "f",
    "он": "m", "она": "f", "він": "m", "вона": "f",
}  # fmt: skip

_GROUP_NOUNS = (
    r"group|council|movement|organi[sz]ation|committee|union|association|initiative|"
    r"cooperative|partnership|network|coalition|campaign|"
    r"группа|группы|группе|движение|движения|организация|организации|объединение|"
    r"объединения|комитет|комитета|совет|совета|група|групи|рух|організація|організації|"
    r"police|прокуратур[аіиеу]|прокуратурі|полиция|полиции|поліція|поліції"
)
_OUTLET_NOUNS = (
    r"outlet|publication|newspaper|paper|channel|site|website|agency|magazine|"
    r"издание|издания|газета|канал|видання"
)
_MESSAGE_NOUNS = (
    r"post|message|statement|bio|letter|appeal|video|petition|note|"
    r"заявление|заявлении|сообщение|сообщении|посте|пост|обращение|обращении|письме|письмо|"
    r"видео|заява|заяві|заяву|повідомлення|повідомленні|дописі|звернення|зверненні"
)
_ROLE_NOUNS = (
    r"president|spokesman|spokeswoman|spokesperson|minister|activist|mother|wife|woman|man|"
    r"soldier|official|leader|general|adviser|advisor|secretary|director|chairman|"
    r"chairwoman|chair|head|founder|coordinator|lawyer|husband|father|son|brother|veteran|"
    r"daughter|sister|widow|girl"
)
# People described, not named, in Russian and Ukrainian (no article to find them by).
_CYRILLIC_ROLE_NOUNS = (
    r"женщина|женщины|женщин|жінка|жінки|жінок|мать|мама|мати|матері|сестра|донька|дочь|"
    r"дочка|жена|дружина|вдова|учасниця|участница|президент|президента|глава\s+государства"
)
FEMALE_NOUNS = re.compile(
    r"^(?:woman|mother|wife|widow|sister|daughter|spokeswoman|chairwoman|girl|"
    r"женщин\w*|жінк\w*|жінок|мать|мама|мати|матері|сестра|донька|дочь|дочка|жена|дружина|"
    r"вдова|учасниця|участница)$",
    re.IGNORECASE,
)
MALE_NOUNS = re.compile(
    r"^(?:man|father|husband|son|brother|spokesman|chairman|президент\w*)$", re.IGNORECASE
)
# Role nouns as the roles of memberships are written (in English).
ROLE_IN_ENGLISH = {"президент": "president", "президента": "president"}
DESCRIPTOR = re.compile(
    r"\b(?P<det>the|this|that|another|an|a|one)\s+"
    r"(?:(?!said\b|says\b|asked\b)[\w’'-]+\s+){0,2}?"
    rf"(?P<noun>{_GROUP_NOUNS}|{_OUTLET_NOUNS}|{_MESSAGE_NOUNS}|{_ROLE_NOUNS})\b"
    r"|(?:^|(?<=[\s,—–]))(?:в\s+|у\s+)?"
    r"(?P<ru_det>(?:ще|еще|ещё)\s+одн\w+\s+|одн[аиоу]\w*\s+(?:з|із|из)\s+)?(?P<ru_noun>"
    rf"{_GROUP_NOUNS}|{_OUTLET_NOUNS}|{_MESSAGE_NOUNS}|{_CYRILLIC_ROLE_NOUNS})\b",
    re.IGNORECASE,
)
_DESCRIPTOR_CLASSES = [
    ("group", re.compile(rf"^(?:{_GROUP_NOUNS})$", re.IGNORECASE)),
    ("outlet", re.compile(rf"^(?:{_OUTLET_NOUNS})$", re.IGNORECASE)),
    ("message", re.compile(rf"^(?:{_MESSAGE_NOUNS})$", re.IGNORECASE)),
    ("role", re.compile(rf"^(?:{_ROLE_NOUNS}|{_CYRILLIC_ROLE_NOUNS})$", re.IGNORECASE)),
]

# Capitalised words that do not make a name on their own.
NOT_NAMES = {
    fold(word)
    for word in (  # noqa: SIM905
        "The A An But And In On At For Of It He She They We I You This That These Those "
        "Instead Despite Yet Once While When After Before Since Some Across Around Both Not "
        "Only Currently Of Course Well Last Next Today Yesterday Indeed Meanwhile However "
        "Also So Or If As Speaking According Mr Mrs Ms Dr President Minister General Kremlin "
        "Spokesman Russian Russians Ukrainian Ukrainians American Americans European Soviet "
        "Moscow Kyiv Kiev Russia Ukraine Europe POW POWs TV Zoom Telegram Newsweek Direct Line "
        "January February March April May June July August September October November "
        "December Monday Tuesday Wednesday Thursday Friday Saturday Sunday Jan Feb Mar Apr Jun "
        "Jul Aug Sep Sept Oct Nov Dec "
        "Но И А В На Во Как Когда После Это Он Она Они Мы Вы Я По Путин Россия Украина Москва "
        "Киев Але І Та У Це Він Вона Вони Ми Росія Україна Київ"
    ).split()
}
_TITLE_WORDS = {
    fold(word)
    for word in (  # noqa: SIM905
        "President Mr Mrs Ms Dr Minister General Spokesman Kremlin Defense Defence Russian "
        "Ukrainian Secretary Director Chairman Chairwoman Advisor Adviser"
    ).split()
}
_CONNECTORS = {"of", "and", "the", "for", "de", "la", "von", "van", "on", "и", "і", "та"}
_GROUP_NAME_WORDS = re.compile(
    r"\b(council|committee|union|movement|group|organi[sz]ation|ministry|office|association|"
    r"party|foundation|fund|agency|service|front|coalition|network|initiative|cooperative|"
    r"news|times|post|совет|комитет|союз|движение|организация|министерство|фонд|рада|комітет|"
    r"спілка|рух|об'єднання|объединение|police|army|regiment|brigade|battalion|офіс|"
    r"прокуратур|поліці|полиц|бригад|батальйон|батальон|штаб)\w*",
    re.IGNORECASE,
)

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_MASK = "\u2063"  # invisible separator: not a word character, not punctuation
