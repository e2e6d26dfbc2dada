"""What the calendar tells the apps above it (bookings) without importing them.

``occurrences_changed`` is sent once per saved event, after the transaction
commits, when something an attendee relies on changed:

- ``event``: the saved Event;
- ``moved``: ``[(occurrence_id, old_start, old_end), ...]`` for dates whose time changed
  (the Occurrence row keeps its id, so bookings follow it);
- ``cancelled``: ``[occurrence_id, ...]`` for dates newly cancelled, or dropped from the
  series while people had booked them (such rows are kept and marked cancelled);
- ``venue_changed``: True when the place (location mode, venue, or the venue's address) changed.
"""

from django.dispatch import Signal

occurrences_changed = Signal()
