import datetime

import factory

from members.idnumbers import make_id_number
from members.models import CareVisit, DuesPayment, Member, MemberEvent
from tests.factories.branches import OrganisationFactory

# Jinzhong's county-level region codes (GB/T 2260), for ID numbers that pass GB 11643.
JINZHONG_REGIONS = [
    "140702", "140703", "140721", "140722", "140723", "140724",
    "140725", "140727", "140728", "140729", "140781",
]  # fmt: skip


def _id_number(member, n):
    # Unique for the first 5,000 members whatever their birth dates: the region and sequence
    # are drawn from n alone; the sequence's parity is the gender, as GB 11643 wants.
    sequence = (n // len(JINZHONG_REGIONS) * 2) % 998 + (1 if member.gender == "M" else 0)
    return make_id_number(JINZHONG_REGIONS[n % len(JINZHONG_REGIONS)], member.birth_date, sequence)


class MemberFactory(factory.django.DjangoModelFactory):
    """A retired full member with a valid ID number and a `joined` event in their organisation.

    `MemberFactory(entry=False)` skips the event (a record as a bulk import would leave it).
    """

    class Meta:
        model = Member
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"党员{n}")
    gender = factory.Iterator(["M", "F"])
    birth_date = factory.Sequence(lambda n: datetime.date(1930 + n % 35, 1 + n % 12, 1 + n % 28))
    id_number = factory.LazyAttributeSequence(_id_number)
    category = Member.Category.FULL
    joined_on = factory.LazyAttribute(lambda m: m.birth_date.replace(year=m.birth_date.year + 25))
    confirmed_on = factory.LazyAttribute(
        lambda m: (
            m.joined_on.replace(year=m.joined_on.year + 1)
            if m.category == Member.Category.FULL
            else None
        )
    )
    employment = Member.Employment.RETIRED
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def entry(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        MemberEvent.objects.create(
            member=self,
            kind=MemberEvent.Kind.JOINED,
            occurred_on=self.joined_on,
            to_organisation=self.organisation,
        )
        if self.confirmed_on:
            MemberEvent.objects.create(
                member=self, kind=MemberEvent.Kind.CONFIRMED, occurred_on=self.confirmed_on
            )


class DuesPaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DuesPayment

    member = factory.SubFactory(MemberFactory)
    year = 2024
    month = 1
    base = factory.LazyAttribute(lambda p: p.member.dues_base or 4000)
    rate = factory.LazyAttribute(lambda p: 0.005)
    amount = factory.LazyAttribute(lambda p: round(float(p.base) * float(p.rate), 2))
    paid_on = factory.LazyAttribute(lambda p: datetime.date(p.year, p.month, 5))


class CareVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareVisit

    member = factory.SubFactory(MemberFactory)
    kind = CareVisit.Kind.HOME
    visited_on = datetime.date(2024, 1, 10)
    visitors = "局机关支部书记"
