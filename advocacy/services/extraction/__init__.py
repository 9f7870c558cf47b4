"""Candidate statements from an article's text: every direct quotation, who said it, when.

The extractor is deliberately plain and explainable, so a researcher can see why a
speaker was guessed ("said X", "X asked", "the group said", "it added"...). One module
per concern:

0. `language`: English, Russian or Ukrainian, detected (lingua) unless given.
1. `quotes`: quotations found by pairing quote marks (straight and curly double quotes,
   « », „ “), nested quotes kept inside; a Russian-style quotation split by an
   attribution inside the marks («…, — сказала она. — …») becomes two parts. Names,
   slogans, placard texts and one-to-three-word terms in quote marks are dropped.
2. Quotation contents are masked, so the words a speaker says never count as a mention.
3. `names` (+ `morphology`): mentions in the rest of the text: known people and groups
   (names and aliases, folded across scripts, endings tolerated), new capitalised names
   (Russian and Ukrainian ones cut where the case changes and brought to the nominative
   with pymorphy3), a surname or first name alone carried to the fullest name printed,
   pronouns and descriptions ("the group", "the woman", "жінка", "одна з жінок").
4. `attribution`: each quotation's speaker, from its attribution ("…," said X / X said /
   X, the president of Y, asked / — сказала X / по словам X / слова X), the subject of
   its sentence, the paragraph introducing it ("Putin stated:"), else carried over.
   Pronouns go to the nearest person of matching sex (or group), never to an outlet.
5. `dates`: the date read from the sentence (weekdays, explicit dates, "yesterday"), else
   the article's month.
6. `structure`: new people with role and group as printed, and the event reported, as
   proposals for review.
"""

from __future__ import annotations

import datetime

from advocacy.choices import DatePrecision
from advocacy.services.extraction.attribution import _Resolver
from advocacy.services.extraction.dates import find_article_date, guess_date, guess_medium
from advocacy.services.extraction.language import LANGUAGES, detect_language
from advocacy.services.extraction.names import EntityIndex, _mentions
from advocacy.services.extraction.quotes import (
    _drop_names_and_terms,
    _find_quotes,
    _mask,
    _paragraphs,
    _Piece,
    _sentences,
)
from advocacy.services.extraction.results import Candidate, QuotePart, SpeakerGuess
from advocacy.services.extraction.structure import Proposal, propose_records

__all__ = [
    "LANGUAGES",
    "Candidate",
    "EntityIndex",
    "Proposal",
    "QuotePart",
    "SpeakerGuess",
    "detect_language",
    "extract_candidates",
    "find_article_date",
    "guess_date",
    "guess_medium",
    "propose_records",
]


# The entry point


def extract_candidates(
    text: str,
    *,
    article_date: datetime.date | None = None,
    language: str | None = None,
    index: EntityIndex | None = None,
) -> list[Candidate]:
    """Every direct quotation in `text` as a candidate statement, in reading order.

    `language` ("en", "ru", "uk") is detected from the text when not given. `index`
    defaults to the people and groups in the database (two queries).
    """
    if index is None:
        index = EntityIndex.from_database()
    if not language:
        language = detect_language(text)
    paragraphs = _paragraphs(text)
    pieces: list[_Piece] = []
    for number, (start, end) in enumerate(paragraphs):
        pieces += _find_quotes(text, start, end, number)
    pieces = _drop_names_and_terms(text, pieces, paragraphs)
    masked = _mask(text, pieces)
    sentences = _sentences(masked, paragraphs)
    resolver = _Resolver(text, masked, _mentions(masked, index, language), sentences, paragraphs)

    candidates: list[Candidate] = []
    previous_sentence = -10
    previous_date: tuple | None = None
    for position, piece in enumerate(pieces):
        next_start = pieces[position + 1].open_at if position + 1 < len(pieces) else len(text)
        speaker, attributed = resolver.resolve(piece, next_start)
        sentence_number = resolver.sentence_of(piece.start)
        sentence = sentences[sentence_number]
        last = candidates[-1] if candidates else None
        same_paragraph = last is not None and pieces[position - 1].paragraph == piece.paragraph
        continues = (
            last is not None
            and same_paragraph
            and (
                sentence_number == previous_sentence
                or sentence_number == previous_sentence + 1
                or piece.open_at == pieces[position - 1].open_at
            )
        )
        if speaker is None:
            speaker = resolver._carried("continues the previous quotation")
            if speaker is None:
                speaker = SpeakerGuess(how="no attribution found")
        if continues and last is not None and (not attributed or speaker.key == last.speaker.key):
            last.parts.append(QuotePart(piece.start, piece.end, text[piece.start : piece.end]))
            last.context_end = max(last.context_end, sentence.end)
            previous_sentence = sentence_number
            continue
        p_start, p_end = paragraphs[piece.paragraph]
        context = masked[sentence.start : sentence.end]
        dated = guess_date(context, article_date, language)
        if dated:
            date, precision, printed = dated
            how = "printed in the sentence"
        elif previous_date and last and last.speaker.key == speaker.key and speaker.key[1]:
            date, precision, printed = previous_date
            how = "as the previous quotation by the same speaker"
        elif article_date:
            date, precision, printed = article_date.replace(day=1), DatePrecision.MONTH, ""
            how = "the article's month"
        else:
            date, precision, printed, how = None, "", "", "unknown"
        if dated or how.startswith("as the previous"):
            previous_date = (date, precision, printed)
        else:
            previous_date = None
        candidates.append(
            Candidate(
                parts=[QuotePart(piece.start, piece.end, text[piece.start : piece.end])],
                speaker=speaker,
                date=date,
                date_precision=precision,
                date_as_printed=printed,
                date_how=how,
                medium=guess_medium(masked[p_start:p_end]),
                context_start=sentence.start,
                context_end=sentence.end,
                paragraph_start=p_start,
                paragraph_end=p_end,
            )
        )
        resolver.previous = speaker if speaker.key[1] else resolver.previous
        previous_sentence = sentence_number
    return candidates
