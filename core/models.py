"""The shared base's one table: the rate-limit counters every form shares."""

from django.db import models


class RateLimitCounter(models.Model):
    """A shared request counter for the PostgreSQL rate-limit backend (see core/ratelimit.py)."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        # Made by the volunteer form's first migration, before the counter served others.
        db_table = "volunteers_ratelimitcounter"
        verbose_name = "rate-limit counter"

    def __str__(self) -> str:
        return self.key
