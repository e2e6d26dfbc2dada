"""The client's IP address, trusting a forwarded header only as far as configured.

Used by the admin's login limits (django-axes) and the sign-up rate limit.
"""

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or the configured proxy header when trusted.

    With ``CLIENT_IP_HEADER`` set (e.g. ``X-Forwarded-For``) and
    ``CLIENT_IP_PROXY_COUNT`` proxies in front of us, each proxy appends the
    address it saw, so the client is the entry that many places from the
    right. Anything a client could have written further left is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    header = settings.CLIENT_IP_HEADER
    if header:
        meta_key = "HTTP_" + header.upper().replace("-", "_")
        entries = [e.strip() for e in request.META.get(meta_key, "").split(",") if e.strip()]
        count = max(settings.CLIENT_IP_PROXY_COUNT, 1)
        if len(entries) >= count:
            candidate = entries[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                logger.warning("Ignored a malformed %s header entry.", header)
    return remote
