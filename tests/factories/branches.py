import factory

from branches.models import Meeting, Organisation, Unit


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["name"]

    name = "晋中市委老干部局"
    kind = Unit.Kind.BUREAU


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"第{n}党支部")
    code = factory.Sequence(lambda n: f"org-{n}")
    kind = Organisation.Kind.BRANCH
    unit = factory.SubFactory(UnitFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Meeting.Kind.THEMED_DAY
    held_on = factory.Faker("date_between", start_date="-1y", end_date="today")
    topic = factory.Sequence(lambda n: f"主题党日活动{n}")
