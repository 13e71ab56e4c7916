import datetime

import factory

from visits.models import Booking, Visit


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    base = factory.SubFactory("tests.factories.exhibitions.EducationBaseFactory")
    visited_on = datetime.date(2024, 5, 4)
    group_name = factory.Sequence(lambda n: f"第{n}中学初二年级")
    category = Visit.Category.STUDENTS
    headcount = 40
    source = Visit.Source.STAFF


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    reference = factory.Sequence(lambda n: f"TEST{n:04d}")
    base = factory.SubFactory("tests.factories.exhibitions.EducationBaseFactory")
    visit_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=7))
    slot = Booking.Slot.MORNING
    group_name = factory.Sequence(lambda n: f"榆次区第{n}小学")
    contact_name = "王老师"
    phone = "13800001234"
    headcount = 30
    category = Visit.Category.STUDENTS
