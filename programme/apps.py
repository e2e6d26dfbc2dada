from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    """Strands, writers in residence, partners and the programme's pages."""

    name = "programme"
    verbose_name = _("Programme")
