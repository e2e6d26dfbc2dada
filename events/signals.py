"""What the calendar tells the apps above it (bookings) without importing them.

``occurrences_changed`` is sent once per saved event, after the transaction
commits, when something an attendee relies on changed:

- ``event``: the saved Event;
- ``moved``: ``[(occurrence_id, old_start, old_end), ...]`` for dates whose time changed
  (the Occurrence row keeps its id, so bookings follow it);
- ``cancelled``: ``[occurrence_id, ...]`` for dates newly cancelled, or dropped from the
  series while people had booked them (such rows are kept and marked cancelled);
- ``venue_changed``: True when the place (location mode, venue, or the venue's address) changed.

Cancelling the whole event reports its dates still to come as ``cancelled``; a change to a
venue's name or address is sent for each event there with dates still to come
(``venue_changed`` True, nothing moved or cancelled).

One more keyword, for receivers that want it (accept ``**kwargs``):

- ``booking_stopped``: True when the event stopped taking bookings on this site (its
  booking changed from "on this site" to a link or to none): its dates go on, but the
  bookings made here, and the people waiting, need telling.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

occurrences_changed = Signal()


def announce_occurrence_changes(
    *, event, moved=(), cancelled=(), venue_changed=False, booking_stopped=False
) -> None:
    """Send ``occurrences_changed`` for `event` once the transaction commits, if anything
    an attendee relies on changed. A receiver that fails is logged: the event is saved."""
    moved, cancelled = list(moved), list(dict.fromkeys(cancelled))
    if not (moved or cancelled or venue_changed or booking_stopped):
        return

    def send():
        results = occurrences_changed.send_robust(
            sender=type(event),
            event=event,
            moved=moved,
            cancelled=cancelled,
            venue_changed=venue_changed,
            booking_stopped=booking_stopped,
        )
        for receiver, result in results:
            if isinstance(result, Exception):
                logger.error(
                    "occurrences_changed: %r failed for event %s",
                    receiver,
                    event.pk,
                    exc_info=(type(result), result, result.__traceback__),
                )

    transaction.on_commit(send)
