"""Red history factories.

- `VeteranFactory(public_profile=True, services=[War.KOREA])`: service rows from a list of wars.
- `ArtefactFactory(published=True)`: enters the collection (an ENTRY custody event) unless
  `entered=False`; `images=2` adds that many generated images.
- `OralHistoryFactory(published=True)` (a trait: status published, published_at now) has a
  public Release unless `release=False`; `release__scope="internal"`,
  `release__embargo_until=date` change it.
- `SegmentFactory(oral_history=…, restricted=True)`, `MicroFilmFactory(oral_histories=[…],
  veterans=[…], published=True)`, `FieldVisitFactory`, `ScreeningFactory`.
"""

import datetime

import factory
from django.utils import timezone

from redhistory.models import (
    Artefact,
    ArtefactImage,
    CustodyEvent,
    FieldVisit,
    MicroFilm,
    OralHistory,
    OralHistoryPhoto,
    Release,
    Screening,
    Segment,
    Veteran,
    VeteranService,
    War,
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["德明", "秀英", "志刚", "桂兰", "振华", "玉梅", "建国", "凤英", "树林", "保国"]


class VeteranFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Veteran
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)])
    gender = Veteran.Gender.MALE
    birth_year = 1928
    county = "yuci"
    native_place = "山西榆次"
    biography = "抗日战争时期参加八路军，转战太行山区。"
    public_profile = False

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        """`services=[War.ANTI_JAPANESE, …]` adds one service row per war."""
        if not create or not extracted:
            return
        for index, war in enumerate(extracted):
            VeteranService.objects.create(
                veteran=self,
                war=war,
                unit="八路军一二九师",
                post="战士",
                from_year=1940 + index * 6,
                to_year=1945 + index * 6,
            )


class VeteranServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VeteranService

    veteran = factory.SubFactory(VeteranFactory)
    war = War.ANTI_JAPANESE
    unit = "八路军一二九师"
    post = "战士"
    from_year = 1940
    to_year = 1945


class FieldVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldVisit

    veteran = factory.SubFactory(VeteranFactory)
    visited_on = datetime.date(2024, 5, 10)
    team = FieldVisit.Team.CITY
    members = "市委老干部局：王干事、李干事"
    collected = "回忆录一份，老照片三张"


class ArtefactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Artefact
        skip_postgeneration_save = True

    # Year 2000 keeps factory numbers apart from those the accession counter gives.
    accession_number = factory.Sequence(lambda n: f"HS-2000-{n + 1:04d}")
    name = factory.Sequence(lambda n: f"抗战纪念章{n}")
    category = Artefact.Category.MEDAL
    war = War.ANTI_JAPANESE
    era_text = "抗日战争时期"
    made_in = "1945年"
    material = "铜"
    dimensions = "直径3.5厘米"
    quantity = 1
    condition = Artefact.Condition.COMPLETE
    donor = factory.SubFactory(VeteranFactory)
    acquisition = Artefact.Acquisition.DONATION
    acquired_on = datetime.date(2024, 5, 10)
    story = "这枚纪念章伴随老人走过了烽火岁月。"
    published = False

    @factory.post_generation
    def entered(self, create, extracted, **kwargs):
        """Records the entry into the collection, at the bureau's store, unless `entered=False`."""
        if not create or extracted is False:
            return
        CustodyEvent.objects.create(
            artefact=self,
            kind=CustodyEvent.Kind.ENTRY,
            starts_on=self.acquired_on or datetime.date(2024, 1, 1),
            location=kwargs.get("location", "市委老干部局库房"),
        )

    @factory.post_generation
    def images(self, create, extracted, **kwargs):
        """`images=N` adds N generated images in order."""
        if not create or not extracted:
            return
        for order in range(extracted):
            ArtefactImageFactory(artefact=self, order=order)


class ArtefactImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArtefactImage

    artefact = factory.SubFactory(ArtefactFactory)
    image = factory.django.ImageField(width=64, height=48, color="darkred", format="JPEG")
    caption = factory.Sequence(lambda n: f"正面{n}")
    order = factory.Sequence(lambda n: n)


class CustodyEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustodyEvent

    artefact = factory.SubFactory(ArtefactFactory)
    kind = CustodyEvent.Kind.STORAGE
    starts_on = datetime.date(2024, 6, 1)
    location = "市委老干部局库房二号柜"


class OralHistoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OralHistory
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(
            status=OralHistory.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
        )

    title = factory.Sequence(lambda n: f"太行烽火忆当年{n}")
    narrator = factory.SubFactory(VeteranFactory)
    interviewers = "王干事、李干事"
    recorded_on = datetime.date(2024, 6, 1)
    place = "榆次区老人家中"
    duration = 1800
    dialect = "晋中方言"
    theme = OralHistory.Theme.BATTLE
    period = OralHistory.Period.REVOLUTION
    summary = "讲述百团大战中的亲身经历。"
    transcript = (
        "那年我十六岁，参加了八路军。[restricted]部队番号不便公开。[/restricted]后来打了很多仗。"
    )
    status = OralHistory.Status.DRAFT

    @factory.post_generation
    def release(self, create, extracted, **kwargs):
        """A public release signed on the recording day, unless `release=False`."""
        if not create or extracted is False:
            return
        Release.objects.create(
            oral_history=self,
            signed_on=kwargs.get("signed_on", self.recorded_on),
            scope=kwargs.get("scope", Release.Scope.PUBLIC),
            embargo_until=kwargs.get("embargo_until"),
        )


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    oral_history = factory.SubFactory(OralHistoryFactory, release=False)
    signed_on = datetime.date(2024, 6, 1)
    scope = Release.Scope.PUBLIC


class OralHistoryPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OralHistoryPhoto

    oral_history = factory.SubFactory(OralHistoryFactory)
    image = factory.django.ImageField(width=64, height=48, color="gray", format="JPEG")
    caption = "采访现场"
    order = factory.Sequence(lambda n: n)


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment
        skip_postgeneration_save = True

    oral_history = factory.SubFactory(OralHistoryFactory)
    start_seconds = factory.Sequence(lambda n: n * 120)
    speaker = "讲述人"
    title = factory.Sequence(lambda n: f"第{n + 1}段")
    keywords = "百团大战 太行山"
    synopsis = "回忆战斗经过。"
    restricted = False

    @factory.post_generation
    def artefacts(self, create, extracted, **kwargs):
        if create and extracted:
            self.artefacts.add(*extracted)


class MicroFilmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MicroFilm
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"微电影·烽火记忆{n}")
    summary = "根据老战士口述拍摄的纪实性微电影。"
    duration = 600
    published = False

    @factory.post_generation
    def veterans(self, create, extracted, **kwargs):
        if create and extracted:
            self.veterans.add(*extracted)

    @factory.post_generation
    def oral_histories(self, create, extracted, **kwargs):
        if create and extracted:
            self.oral_histories.add(*extracted)


class ScreeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Screening

    film = factory.SubFactory(MicroFilmFactory)
    place = "晋中市老干部活动中心"
    shown_on = datetime.date(2024, 7, 1)
    audience = 120
