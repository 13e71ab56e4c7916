import datetime

import factory

from branches.models import ActivityRoom, Honour, Meeting, Organisation, Term, Unit


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


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    organisation = factory.SubFactory(OrganisationFactory)
    starts_on = datetime.date(2024, 6, 1)


class ActivityRoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityRoom
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"党员活动室{n}")


class HonourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Honour

    year = 2020
    title = "示范党组织"
    awarded_by = "中共晋中市直属机关工作委员会"
    organisation = factory.SubFactory(OrganisationFactory)
