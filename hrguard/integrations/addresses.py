"""Where a webhook may point: https (http only to this machine, outside production), and never, in
production, an address inside the network (SSRF) unless ``HRGUARD_WEBHOOKS_ALLOW_PRIVATE`` says so.

Checked when the endpoint is saved and again before every delivery (a name may resolve elsewhere later)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
MAX_URL = 500


class AddressRefused(ValueError):
    """The URL may not be used; the message says why (in the active language)."""


def require_https() -> bool:
    return bool(getattr(settings, "HRGUARD_WEBHOOKS_REQUIRE_HTTPS", False))


def allow_private() -> bool:
    return bool(getattr(settings, "HRGUARD_WEBHOOKS_ALLOW_PRIVATE", True))


def _host(url: str) -> tuple[str, str, int]:
    if len(url) > MAX_URL:
        raise AddressRefused(_("The URL is longer than %(n)d characters.") % {"n": MAX_URL})
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise AddressRefused(_("Enter a valid URL, e.g. https://payroll.example.com/hooks/hrguard.")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise AddressRefused(_("Enter a valid URL, e.g. https://payroll.example.com/hooks/hrguard."))
    if any(c.isspace() for c in url):
        raise AddressRefused(_("Enter a valid URL, e.g. https://payroll.example.com/hooks/hrguard."))
    return parts.scheme, parts.hostname.lower(), port or (443 if parts.scheme == "https" else 80)


def _is_internal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return bool(ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
                or ip.is_unspecified or not ip.is_global)


def resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise AddressRefused(_("The host name %(host)s cannot be resolved.") % {"host": host}) from None
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def check_url(url: str, *, resolve_host: bool = True) -> str:
    """The URL if it may be used, else ``AddressRefused``. ``resolve_host=False`` checks only the form."""
    scheme, host, port = _host(url)
    if scheme == "http" and (require_https() or host not in LOOPBACK_NAMES):
        raise AddressRefused(_("The URL must start with https:// (plain http is allowed only to 127.0.0.1 "
                               "outside production)."))
    if allow_private() or not resolve_host:
        return url
    if host in LOOPBACK_NAMES:
        raise AddressRefused(_("Addresses inside the company network or on this server are not allowed."))
    for ip in resolve(host, port):
        if _is_internal(ip):
            raise AddressRefused(_("Addresses inside the company network or on this server are not allowed."))
    return url
