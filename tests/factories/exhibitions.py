import datetime

import factory

from core.counties import County
from exhibitions.models import EducationBase, ExhibitionSection


class EducationBaseFactory(factory.django.DjangoModelFactory):
    """A base; open to the public unless built with `opened=False` (still under construction)."""

    class Meta:
        model = EducationBase
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"红色教育基地{n}")
    slug = factory.Sequence(lambda n: f"base-{n}")
    kind = EducationBase.Kind.INDEPENDENT
    county = County.YUCI

    @factory.post_generation
    def opened(self, create, extracted, **kwargs):
        """Opens the base on 2021-07-01, or on `opened=<date>`; `opened=False` keeps it shut
        (approved, still under construction)."""
        from exhibitions.models import ConstructionMilestone

        if not create:
            return
        stages = ConstructionMilestone.Stage
        if extracted is False:
            ConstructionMilestone.objects.get_or_create(
                base=self, stage=stages.APPROVAL, defaults={"reached_on": datetime.date(2024, 3, 1)}
            )
            return
        ConstructionMilestone.objects.get_or_create(
            base=self,
            stage=stages.OPENING,
            defaults={"reached_on": extracted or datetime.date(2021, 7, 1)},
        )


class ExhibitionSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExhibitionSection

    base = factory.SubFactory(EducationBaseFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"第{n}展区")
    text = "展区介绍。"
