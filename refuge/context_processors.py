from django.conf import settings


def portal(request):
    """The organisation's name and contact details, for every template."""
    return {"portal": settings.PORTAL}
