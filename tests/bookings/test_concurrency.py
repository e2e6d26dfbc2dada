"""Capacity holds under load: many visitors booking the last places at the same moment."""

import datetime
import threading
import uuid

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from bookings import services
from bookings.models import Booking, BookingStatus
from tests.bookings.conftest import book_data
from tests.bookings.factories import BookableEventFactory, occurrence_of

THREADS = 25
PER_THREAD = 4  # 100 bookings in all


@pytest.mark.django_db(transaction=True)
def test_100_concurrent_bookings_for_20_places_hold_exactly_20():
    occurrence = occurrence_of(BookableEventFactory(capacity=20))
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    results: list[str] = []
    lock = threading.Lock()

    def worker(number: int):
        try:
            barrier.wait()
            for index in range(PER_THREAD):
                outcome = services.booking_submit(
                    occurrence=occurrence,
                    data=book_data(email=f"visitor-{number}-{index}@example.org"),
                    submission_key=uuid.uuid4(),
                    privacy_notice_version="1.0",
                )
                with lock:
                    results.append(outcome.result)
        except BaseException as error:  # any escape fails the test below
            with lock:
                errors.append(error)
        finally:
            connection.close()  # each thread had its own connection, like a worker

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()

    assert errors == []
    assert len(results) == THREADS * PER_THREAD
    bookings = Booking.objects.for_occurrence(occurrence)
    assert bookings.places_taken() == 20
    assert bookings.filter(status=BookingStatus.HELD).count() == 20
    assert bookings.filter(status=BookingStatus.WAITING).count() == 80
    assert services.places_left(occurrence=occurrence) == 0


@pytest.mark.django_db(transaction=True)
def test_the_database_guard_alone_refuses_concurrent_overbooking():
    """Without the services' lock (a bulk path, a bug), the trigger still keeps the count."""
    occurrence = occurrence_of(BookableEventFactory(capacity=5))
    barrier = threading.Barrier(10)
    refused = []

    def worker(number: int):
        try:
            barrier.wait()
            Booking.objects.create(
                occurrence_id=occurrence.pk,
                name="x",
                email=f"g{number}@example.org",
                places=1,
                status=BookingStatus.HELD,
                hold_expires_at=timezone.now() + datetime.timedelta(minutes=30),
                consent_given_at=timezone.now(),
                privacy_notice_version="1.0",
            )
        except IntegrityError as error:
            refused.append(services.is_capacity_error(error))
        finally:
            connection.close()

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(10)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert refused == [True] * 5
    assert Booking.objects.for_occurrence(occurrence).places_taken() == 5
