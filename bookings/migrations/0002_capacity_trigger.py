"""The database's own guard on capacity: no row may take a date beyond its places.

Services lock the occurrence row while they count and write; this trigger is the
backstop for any other path (a bulk update, the shell, a bug). It fires after a
booking row is inserted, or updated so that it takes places it did not take
before (or more of them), locks the occurrence row as the services do, and
counts the places taken with the same rule as ``BookingQuerySet.counting()``:
confirmed, offered, or held and not yet expired. It raises SQLSTATE 23514
(check_violation), which Django raises as ``IntegrityError``.

``clock_timestamp()`` (not ``now()``, the transaction's start) decides which holds
have expired, so the trigger is never stricter than the service that just counted.
"""

from django.db import migrations

CREATE = r"""
CREATE FUNCTION bookings_check_capacity() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    new_counts boolean;
    old_counts boolean;
    allowed integer;
    taken integer;
BEGIN
    new_counts := NEW.status IN ('confirmed', 'offered')
        OR (NEW.status = 'held' AND NEW.hold_expires_at > clock_timestamp());
    IF NOT new_counts THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        old_counts := OLD.status IN ('confirmed', 'offered')
            OR (OLD.status = 'held' AND OLD.hold_expires_at > clock_timestamp());
        IF old_counts AND NEW.places <= OLD.places
                AND NEW.occurrence_id = OLD.occurrence_id THEN
            RETURN NULL;
        END IF;
    END IF;
    -- The same lock the services take, so two writers count one after the other.
    SELECT COALESCE(o.capacity, e.capacity) INTO allowed
        FROM events_occurrence o JOIN events_event e ON e.id = o.event_id
        WHERE o.id = NEW.occurrence_id
        FOR UPDATE OF o;
    IF allowed IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT COALESCE(SUM(places), 0) INTO taken
        FROM bookings_booking
        WHERE occurrence_id = NEW.occurrence_id
          AND (status IN ('confirmed', 'offered')
               OR (status = 'held' AND hold_expires_at > clock_timestamp()));
    IF taken > allowed THEN
        RAISE EXCEPTION 'booking #% would take % places of % on occurrence #%',
            NEW.id, taken, allowed, NEW.occurrence_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'booking_within_capacity';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER bookings_within_capacity
    AFTER INSERT OR UPDATE OF status, places, hold_expires_at, occurrence_id
    ON bookings_booking
    FOR EACH ROW EXECUTE FUNCTION bookings_check_capacity();
"""

DROP = """
DROP TRIGGER IF EXISTS bookings_within_capacity ON bookings_booking;
DROP FUNCTION IF EXISTS bookings_check_capacity();
"""


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
