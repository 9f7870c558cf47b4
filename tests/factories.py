"""factory_boy factories. Records are published by default; `draft=True` makes a draft."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from advocacy import models
from advocacy.choices import GroupKind, Medium, Status


class PublishedFactory(factory.django.DjangoModelFactory):
    status = Status.PUBLISHED

    class Meta:
        abstract = True

    class Params:
        draft = factory.Trait(status=Status.DRAFT)


class SourceFactory(PublishedFactory):
    title = factory.Sequence(lambda n: f"Mothers demand answers, part {n}")
    publisher = "The Daily Example"
    url = factory.Sequence(lambda n: f"https://news.example.org/articles/{n}")
    published_on = datetime.date(2022, 11, 24)
    archived_text = factory.Sequence(
        lambda n: (
            f"Article {n}.\n\n"
            '"We want our sons back," said Olga Example, the president of the council.\n\n'
            "The ministry did not reply."
        )
    )

    class Meta:
        model = models.Source


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")

    class Meta:
        model = models.Topic


class GroupFactory(PublishedFactory):
    name = factory.Sequence(lambda n: f"Council of Example Mothers {n}")
    kind = GroupKind.ADVOCACY_GROUP
    country = "RU"

    class Meta:
        model = models.Group


class PersonFactory(PublishedFactory):
    name = factory.Sequence(lambda n: f"Olga Example{n}")
    country = "RU"

    class Meta:
        model = models.Person

    class Params:
        protected = factory.Trait(is_protected=True)


class GroupAliasFactory(factory.django.DjangoModelFactory):
    group = factory.SubFactory(GroupFactory)
    name = factory.Sequence(lambda n: f"Совет примерных матерей {n}")
    script = "cyrl"
    language = "ru"

    class Meta:
        model = models.GroupAlias


class PersonAliasFactory(factory.django.DjangoModelFactory):
    person = factory.SubFactory(PersonFactory)
    name = factory.Sequence(lambda n: f"Ольга Пример{n}")
    script = "cyrl"
    language = "ru"

    class Meta:
        model = models.PersonAlias


class MembershipFactory(PublishedFactory):
    person = factory.SubFactory(PersonFactory)
    group = factory.SubFactory(GroupFactory)
    role = "president"

    class Meta:
        model = models.Membership


class EventFactory(PublishedFactory):
    name = factory.Sequence(lambda n: f"Roundtable {n}")
    kind = "roundtable"
    date = datetime.date(2022, 11, 20)
    place = "Moscow"

    class Meta:
        model = models.Event


class ParticipationFactory(PublishedFactory):
    event = factory.SubFactory(EventFactory)
    group = factory.SubFactory(GroupFactory)
    part = "organiser"

    class Meta:
        model = models.Participation


class StatementFactory(PublishedFactory):
    speaker_person = factory.SubFactory(PersonFactory)
    medium = Medium.VIDEO_MESSAGE
    date = datetime.date(2022, 11, 23)
    summary = factory.Sequence(lambda n: f"Mothers want their sons back ({n})")

    class Meta:
        model = models.Statement
        skip_postgeneration_save = True

    @factory.post_generation
    def quotation(self, create, extracted, **kwargs):
        """Every statement gets one verbatim quotation from a published source."""
        if create and extracted is not False:
            QuotationFactory(statement=self)


class QuotationFactory(factory.django.DjangoModelFactory):
    statement = factory.SubFactory(StatementFactory, quotation=False)
    source = factory.SubFactory(SourceFactory)
    text = "We want our sons back"
    position = factory.Sequence(lambda n: n + 1)

    class Meta:
        model = models.Quotation


class CitationFactory(factory.django.DjangoModelFactory):
    content_object = factory.SubFactory(GroupFactory)
    object_id = factory.SelfAttribute("content_object.pk")
    content_type = factory.LazyAttribute(
        lambda o: ContentType.objects.get_for_model(o.content_object)
    )
    source = factory.SubFactory(SourceFactory)
    excerpt = "said Olga Example, the president of the council."

    class Meta:
        model = models.Citation
        exclude = ["content_object"]


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"researcher{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def permissions(self, create, extracted, **kwargs):
        """`permissions=["view", "add"]` grants those actions on every advocacy model."""
        if create and extracted:
            self.user_permissions.set(
                Permission.objects.filter(
                    content_type__app_label="advocacy",
                    codename__regex=rf"^({'|'.join(extracted)})_",
                )
            )
