"""The client's IP address, trusting forwarded headers only as far as configured.

Behind N trusted proxies that each append to ``X-Forwarded-For``, the client is
the N-th address from the right; anything further left was written by the
client and cannot be trusted. With no trusted proxies (the default), only the
socket address counts, so nobody can forge their way into or out of a limit.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104 - a placeholder, never bound
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    header = request.META.get(settings.CLIENT_IP_HEADER, "")
    hops = [hop for hop in header.split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    return _valid(hops[-count]) or remote
