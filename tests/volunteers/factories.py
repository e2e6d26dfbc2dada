import factory
from django.utils import timezone

from tests.programme.factories import StrandFactory
from volunteers.models import DBSCheck, Note, VolunteerApplication, VolunteerRole


class VolunteerRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerRole

    title = factory.Sequence(lambda n: f"Role {n}")
    slug = factory.Sequence(lambda n: f"role-{n}")
    description = factory.LazyAttribute(lambda o: f"What a {o.title} does.")
    strand = factory.SubFactory(StrandFactory)
    time_commitment = "A few hours a month"
    order = factory.Sequence(lambda n: n)


class VolunteerApplicationFactory(factory.django.DjangoModelFactory):
    """A confirmed application; pass email_confirmed_at=None for an unconfirmed one."""

    class Meta:
        model = VolunteerApplication
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Volunteer {n}")
    email = factory.Sequence(lambda n: f"volunteer{n}@example.org")
    area = "NR2"
    languages = factory.LazyFunction(lambda: ["English"])
    availability = factory.LazyFunction(lambda: ["weekends"])
    dbs_check = DBSCheck.NOT_SURE
    is_adult = True
    consent_given_at = factory.LazyFunction(timezone.now)
    privacy_notice_version = "1.0"
    email_confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.roles.set(extracted)


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    application = factory.SubFactory(VolunteerApplicationFactory)
    text = "Phoned; happy to steward in June."
