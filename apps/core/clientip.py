"""The address of the client behind the request, for rate limits and sign-in lockouts.

`REMOTE_ADDR` is the peer that opened the connection. Behind the documented reverse proxy that is
the proxy itself, so every citizen would share one counter; the proxy names the real client in
`X-Forwarded-For`. That header is written by whoever sends the request, so it is believed only when
`REMOTE_ADDR` is one of `CQS_TRUSTED_PROXIES` (addresses or networks; empty = trust nobody), and only
up to the first hop that is not a trusted proxy, read from the right: entries further left were
supplied by the client and can be anything.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _parse(value: str) -> Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)  # "::ffff:203.0.113.7" is that IPv4 address
    return mapped or address


def _trusted(address: Address | None, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str:
    """The client's address: `REMOTE_ADDR`, or the one the trusted proxies forwarded.

    Also django-axes' AXES_CLIENT_IP_CALLABLE, so sign-in lockouts and rate limits agree.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(getattr(settings, "CQS_TRUSTED_PROXIES", ()) or ()))
    peer = _parse(remote)
    if not _trusted(peer, networks):
        return str(peer) if peer else remote
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse(hop)
        if address is None:
            break  # garbage written by a proxy: keep the last hop we could read
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
