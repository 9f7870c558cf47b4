from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    RETRACTED = "retracted", _("Retracted")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")
    UKRAINIAN = "uk", _("Ukrainian")


class Script(models.TextChoices):
    LATIN = "latn", _("Latin")
    CYRILLIC = "cyrl", _("Cyrillic")


class Country(models.TextChoices):
    RUSSIA = "RU", _("Russia")
    UKRAINE = "UA", _("Ukraine")
    UNITED_STATES = "US", _("United States")
    INTERNATIONAL = "XX", _("International")


class SourceKind(models.TextChoices):
    NEWS_ARTICLE = "news_article", _("News article")
    NEWS_VIDEO = "news_video", _("News video")
    TELEGRAM_POST = "telegram_post", _("Telegram post")
    VIDEO_MESSAGE = "video_message", _("Video message")
    OFFICIAL_STATEMENT = "official_statement", _("Official statement")
    OTHER = "other", _("Other")


class GroupKind(models.TextChoices):
    ADVOCACY_GROUP = "advocacy_group", _("Advocacy group")
    GOVERNMENT_BODY = "government_body", _("Government body")
    MEDIA_OUTLET = "media_outlet", _("Media outlet")
    OTHER = "other", _("Other")


class GroupRelationKind(models.TextChoices):
    PART_OF = "part_of", _("is part of")
    SPLIT_FROM = "split_from", _("split from")
    PARTNER_OF = "partner_of", _("works with")


class AliasKind(models.TextChoices):
    SPELLING = "spelling", _("Other spelling")
    TRANSLATION = "translation", _("Translation")
    TRANSLITERATION = "transliteration", _("Transliteration")
    ORIGINAL = "original", _("Name in the original language")
    ABBREVIATION = "abbreviation", _("Abbreviation")


class EventKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    ROUNDTABLE = "roundtable", _("Roundtable")
    PROTEST = "protest", _("Protest")
    VIDEO_APPEAL = "video_appeal", _("Video appeal")
    ZOOM_CONFERENCE = "zoom_conference", _("Zoom conference")
    CALL_IN_PROGRAMME = "call_in_programme", _("Call-in programme")
    AID_DELIVERY = "aid_delivery", _("Aid delivery")
    OTHER = "other", _("Other")


class ParticipantRole(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    ATTENDEE = "attendee", _("Attendee")
    INVITED = "invited", _("Invited")
    NOT_INVITED = "not_invited", _("Not invited")
    ADDRESSEE = "addressee", _("Addressee")
    DECLINED = "declined", _("Declined")


class Medium(models.TextChoices):
    VIDEO_MESSAGE = "video_message", _("Video message")
    TELEGRAM_POST = "telegram_post", _("Telegram post")
    SOCIAL_MEDIA_POST = "social_media_post", _("Social media post")
    INTERVIEW = "interview", _("Interview")
    PRESS_BRIEFING = "press_briefing", _("Press briefing")
    SPEECH = "speech", _("Speech")
    WRITTEN_STATEMENT = "written_statement", _("Written statement")
    OTHER = "other", _("Other")


class IdentifierScheme(models.TextChoices):
    WIKIDATA = "wikidata", _("Wikidata")
    TELEGRAM = "telegram", _("Telegram")
    OTHER = "other", _("Other")
