"""core.caching.keys: the canonical query a page is kept under, remembered per address."""

import pytest
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

from core.caching.keys import _canonical_for_address, canonical_path, canonical_query

FILTERED = "/events/?free=on&utm_source=x&strand=shahrazad&audience=&strand=community-programme"


def request_for(address, *, resolved=False):
    request = RequestFactory().get(address)
    if resolved:
        request.resolver_match = resolve(request.path_info)
    return request


@pytest.mark.parametrize("resolved", [False, True])
def test_only_what_the_view_reads_sorted_the_last_value_and_no_empty_ones(resolved):
    request = request_for(FILTERED, resolved=resolved)
    assert canonical_query(request) == "free=on&strand=community-programme"
    assert canonical_path(request) == "/events/?free=on&strand=community-programme"
    assert canonical_query(request, leave_out=["free"]) == "strand=community-programme"


def test_the_same_address_answers_the_same_every_time_and_is_remembered():
    _canonical_for_address.cache_clear()
    answers = {canonical_query(request_for(FILTERED)) for _ in range(5)}
    assert answers == {"free=on&strand=community-programme"}
    info = _canonical_for_address.cache_info()
    assert (info.misses, info.hits) == (1, 4)


def test_a_view_that_says_nothing_of_its_query_and_an_unknown_address_are_none():
    assert canonical_query(request_for("/robots.txt?x=1")) is None
    assert canonical_query(request_for("/programme/?x=1")) == ""  # it reads none
    assert canonical_query(request_for("/no-such-page/?x=1")) is None
    assert canonical_query(request_for("/events/")) == ""


def test_each_language_s_address_resolves_in_its_own_language():
    with translation.override("ar"):
        assert canonical_query(request_for("/ar/events/?free=on&x=1")) == "free=on"
    # The same address asked while English is active resolves no view: no answer is
    # remembered for one language and given in another.
    with translation.override("en-gb"):
        assert canonical_query(request_for("/ar/events/?free=on&x=1")) is None


def test_invented_query_strings_cannot_grow_the_memory_without_bound():
    _canonical_for_address.cache_clear()
    for number in range(3000):
        canonical_query(request_for(f"/events/?cb={number}"))
    assert _canonical_for_address.cache_info().currsize <= 2048
