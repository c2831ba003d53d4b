import factory

from tongban.core.identifiers import make_uscc
from tongban.organizations.models import Department, Region, ServiceHall


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "990100000000"
    name = "云州市"
    level = Region.Level.CITY


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"云州市测试局{n}")
    short_name = factory.LazyAttribute(lambda o: o.name[3:])
    uscc = factory.Sequence(
        lambda n: make_uscc(registry="1", kind="1", region_code="990100", organization_body=f"{n + 500:08d}")
    )
    region = factory.SubFactory(RegionFactory)
    phone = "0999-83120000"


class ServiceHallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceHall

    name = factory.Sequence(lambda n: f"云州市政务服务中心{n}")
    region = factory.SubFactory(RegionFactory)
    address = "云州市锦江区市民大道88号"
    hours = "周一至周五 9:00-17:30"
    phone = "0999-12345"
