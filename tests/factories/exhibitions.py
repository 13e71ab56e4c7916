import factory

from exhibitions.models import County, EducationBase


class EducationBaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EducationBase
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"红色教育基地{n}")
    slug = factory.Sequence(lambda n: f"base-{n}")
    kind = EducationBase.Kind.INDEPENDENT
    county = County.YUCI
